// augment._augment: the Python module over the C++ core. A thin skin: pipelines are the C++
// Pipeline built from the registry the CLI uses, draws come from Rng::derive(seed, key, copy,
// epoch) as in `augment run`, files are read through the same codecs, datasets are listed by the
// runner's own reader. What lives here is only the conversion between numpy arrays (and str,
// lists, dicts) and samples, and the GIL: held while converting, released while a pipeline runs.
//
// Outputs share the C++ buffer where the layout allows: the array's base is a capsule whose
// pointer is the buffer's address and whose context owns the C++ object (a cv::Mat, a vector),
// freed when the last array on it goes.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <complex>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "augment/audio/audio.hpp"
#include "augment/audio/register_transforms.hpp"
#include "augment/audio/spectrogram.hpp"
#include "augment/core/error.hpp"
#include "augment/core/json_text.hpp"
#include "augment/core/limits.hpp"
#include "augment/core/paths.hpp"
#include "augment/core/pipeline.hpp"
#include "augment/core/registry.hpp"
#include "augment/core/tensor.hpp"
#include "augment/core/version.hpp"
#include "augment/embed/register_transforms.hpp"
#include "augment/features/feature_vector.hpp"
#include "augment/features/register_transforms.hpp"
#include "augment/image/image.hpp"
#include "augment/image/image_codec.hpp"
#include "augment/image/reduced_decode.hpp"
#include "augment/image/register_transforms.hpp"
#include "augment/runner/dataset.hpp"
#include "augment/runner/fit_dataset.hpp"
#include "augment/text/labelled_records.hpp"
#include "augment/text/register_transforms.hpp"
#include "augment/text/text.hpp"
#include "augment/text/tokenize.hpp"
#include "augment/video/register_transforms.hpp"
#include "augment/video/video.hpp"

namespace py = pybind11;
namespace fs = std::filesystem;
using nlohmann::json;

namespace augment::python {
namespace {

// The registry of tools/cli_common.cpp's make_cli_registry(false): the same modules in the same
// order, so ops, defaults and codecs are the CLI's (test_module checks ops() against
// `augment list --format json`). Never destroyed: pipelines refer to its op declarations and may
// outlive the module's teardown.
const Registry& registry() {
  static const Registry* all = new Registry(make_registry({
      features::register_transforms, image::register_transforms, audio::register_transforms,
      text::register_transforms, embed::register_transforms,
      video::register_transforms}));  // after image: it lifts the image ops to frames
  return *all;
}

Kind kind_named(const std::string& name) {
  if (auto kind = parse_kind(name)) return *kind;
  throw py::value_error("unknown kind '" + name + "' (features, image, audio, spectrogram, text, tokens, video, tensor)");
}

std::string kind_name(Kind kind) { return std::string(to_string(kind)); }

// ---------------------------------------------------------------------------------------------
// JSON <-> Python

py::object to_python(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return py::none();
    case json::value_t::boolean: return py::bool_(j.get<bool>());
    case json::value_t::number_integer: return py::int_(j.get<std::int64_t>());
    case json::value_t::number_unsigned: return py::int_(j.get<std::uint64_t>());
    case json::value_t::number_float: return py::float_(j.get<double>());
    case json::value_t::string: return py::str(j.get_ref<const std::string&>());
    case json::value_t::array: {
      py::list list;
      for (const json& e : j) list.append(to_python(e));
      return list;
    }
    case json::value_t::object: {
      py::dict dict;
      for (const auto& [k, v] : j.items()) dict[py::str(k)] = to_python(v);
      return dict;
    }
    default: return py::none();  // binary, discarded: never in specs or records
  }
}

json from_python(py::handle h, std::size_t depth = 0) {
  if (depth > limits().json_depth)
    throw py::value_error("JSON nested deeper than " + std::to_string(limits().json_depth) +
                          " levels (raise it with augment.set_limit('json_depth=...'))");
  if (h.is_none()) return nullptr;
  if (py::isinstance<py::bool_>(h)) return h.cast<bool>();
  if (py::isinstance<py::int_>(h)) {
    if (h.cast<py::int_>() < py::int_(0)) return h.cast<std::int64_t>();
    return h.cast<std::uint64_t>();
  }
  if (py::isinstance<py::float_>(h)) return h.cast<double>();
  if (py::isinstance<py::str>(h)) return h.cast<std::string>();
  if (py::isinstance<py::dict>(h)) {
    json object = json::object();
    for (const auto& [k, v] : h.cast<py::dict>()) {
      if (!py::isinstance<py::str>(k)) throw py::type_error("JSON object keys must be str, got " + std::string(py::str(py::type::of(k))));
      object[k.cast<std::string>()] = from_python(v, depth + 1);
    }
    return object;
  }
  if (py::isinstance<py::list>(h) || py::isinstance<py::tuple>(h)) {
    json array = json::array();
    for (py::handle e : h) array.push_back(from_python(e, depth + 1));
    return array;
  }
  if (py::hasattr(h, "tolist")) return from_python(h.attr("tolist")(), depth);  // numpy arrays and scalars
  throw py::type_error("cannot represent a " + std::string(py::str(py::type::of(h))) + " in JSON");
}

// ---------------------------------------------------------------------------------------------
// Arrays on C++ buffers

struct Keep {
  virtual ~Keep() = default;
};
template <class T>
struct KeepValue final : Keep {
  explicit KeepValue(T v) : value(std::move(v)) {}
  T value;
};

constexpr const char* kBufferCapsule = "augment.buffer";

// augment.Audio, a namedtuple (samples, rate): made when the module loads, never freed.
py::handle audio_type;

// A capsule whose pointer is `data` (the buffer an array views) and whose context owns `owner`.
py::capsule owning_capsule(const void* data, std::unique_ptr<Keep> owner) {
  // A capsule cannot hold a null pointer (an empty buffer): the owner's address stands in.
  py::capsule capsule(data ? data : owner.get(), kBufferCapsule, [](PyObject* o) {
    delete static_cast<Keep*>(PyCapsule_GetContext(o));
  });
  if (PyCapsule_SetContext(capsule.ptr(), owner.get()) != 0) throw py::error_already_set();
  owner.release();
  return capsule;
}

template <class T>
py::array shared_array(py::dtype dtype, std::vector<py::ssize_t> shape, std::vector<py::ssize_t> strides,
                       const void* data, std::unique_ptr<KeepValue<T>> owner) {
  py::capsule base = owning_capsule(data, std::move(owner));
  return py::array(std::move(dtype), std::move(shape), std::move(strides), data, base);
}

template <class V>  // std::vector<float>, std::vector<double>, std::vector<std::complex<float>>
py::array vector_array(V values, std::vector<py::ssize_t> shape) {
  using E = typename V::value_type;
  std::vector<py::ssize_t> strides(shape.size());
  py::ssize_t stride = sizeof(E);
  for (std::size_t i = shape.size(); i-- > 0;) {
    strides[i] = stride;
    stride *= shape[i];
  }
  auto owner = std::make_unique<KeepValue<V>>(std::move(values));
  const void* data = owner->value.data();
  return shared_array(py::dtype::of<E>(), std::move(shape), std::move(strides), data, std::move(owner));
}

py::dtype dtype_of_depth(int depth) {
  switch (depth) {
    case CV_8U: return py::dtype::of<std::uint8_t>();
    case CV_8S: return py::dtype::of<std::int8_t>();
    case CV_16U: return py::dtype::of<std::uint16_t>();
    case CV_16S: return py::dtype::of<std::int16_t>();
    case CV_32S: return py::dtype::of<std::int32_t>();
    case CV_32F: return py::dtype::of<float>();
    case CV_64F: return py::dtype::of<double>();
    default: throw std::logic_error("pixels of OpenCV depth " + std::to_string(depth) + " have no numpy dtype");
  }
}

// H×W×C (or H×W with `drop_channel_axis`) on the Mat's own buffer.
py::array mat_array(const cv::Mat& mat, bool drop_channel_axis = false) {
  std::vector<py::ssize_t> shape = {mat.rows, mat.cols};
  std::vector<py::ssize_t> strides = {static_cast<py::ssize_t>(mat.step[0]), static_cast<py::ssize_t>(mat.elemSize())};
  if (!drop_channel_axis) {
    shape.push_back(mat.channels());
    strides.push_back(static_cast<py::ssize_t>(mat.elemSize1()));
  }
  auto owner = std::make_unique<KeepValue<cv::Mat>>(mat);
  return shared_array(dtype_of_depth(mat.depth()), std::move(shape), std::move(strides), mat.data, std::move(owner));
}

// ---------------------------------------------------------------------------------------------
// Samples

enum class ChannelOrder { rgb, bgr };

// What goes with a sample besides its array: keyword arguments of the calls, checked per kind.
struct SampleOptions {
  ChannelOrder order = ChannelOrder::rgb;
  py::object mask = py::none(), boxes = py::none(), keypoints = py::none(), info = py::none();
  std::optional<int> rate;
  std::optional<double> fps;
  std::string language;
  bool targets = false;  // an image came with a mask, boxes or keypoints: return them too
};

ChannelOrder order_named(const std::string& name) {
  if (name == "rgb") return ChannelOrder::rgb;
  if (name == "bgr") return ChannelOrder::bgr;
  throw py::value_error("channel_order must be 'rgb' or 'bgr', got '" + name + "'");
}

SampleOptions sample_options(const py::kwargs& kwargs, Kind kind) {
  SampleOptions o;
  std::vector<std::string> allowed = {"channel_order"};
  switch (kind) {
    case Kind::image: allowed.insert(allowed.end(), {"mask", "boxes", "keypoints"}); break;
    case Kind::video: allowed.emplace_back("fps"); break;
    case Kind::audio: allowed.emplace_back("rate"); break;
    case Kind::spectrogram: allowed.emplace_back("info"); break;
    case Kind::text:
    case Kind::tokens: allowed.emplace_back("language"); break;
    default: break;
  }
  for (const auto& [k, v] : kwargs) {
    const std::string name = k.cast<std::string>();
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string known;
      for (const auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
      throw py::type_error("unexpected keyword argument '" + name + "' for a " + kind_name(kind) + " sample (takes: " + known + ")");
    }
    if (name == "channel_order") o.order = order_named(v.cast<std::string>());
    else if (name == "mask") o.mask = py::reinterpret_borrow<py::object>(v);
    else if (name == "boxes") o.boxes = py::reinterpret_borrow<py::object>(v);
    else if (name == "keypoints") o.keypoints = py::reinterpret_borrow<py::object>(v);
    else if (name == "info") o.info = py::reinterpret_borrow<py::object>(v);
    else if (name == "rate" && !v.is_none()) o.rate = v.cast<int>();
    else if (name == "fps" && !v.is_none()) o.fps = v.cast<double>();
    else if (name == "language") o.language = v.cast<std::string>();
  }
  o.targets = !o.mask.is_none() || !o.boxes.is_none() || !o.keypoints.is_none();
  return o;
}

std::string dtype_text(const py::array& a) { return py::str(a.dtype()).cast<std::string>(); }

int depth_of(const py::array& a, const std::string& what) {
  if (a.dtype().is(py::dtype::of<std::uint8_t>())) return CV_8U;
  if (a.dtype().is(py::dtype::of<std::uint16_t>())) return CV_16U;
  if (a.dtype().is(py::dtype::of<float>())) return CV_32F;
  throw DataError(what + ": pixels must be uint8, uint16 or float32, got " + dtype_text(a));
}

// Pixels as OpenCV keeps them (BGR), copied once out of the array.
cv::Mat pixels_from(py::handle obj, ChannelOrder order, const std::string& what) {
  auto a = py::array::ensure(obj, py::array::c_style);
  if (!a) throw DataError(what + ": expected a numpy array H×W×C");
  if (a.ndim() != 2 && a.ndim() != 3) throw DataError(what + ": expected H×W or H×W×C pixels, got " + std::to_string(a.ndim()) + " dimensions");
  const int channels = a.ndim() == 3 ? static_cast<int>(a.shape(2)) : 1;
  if (channels != 1 && channels != 3 && channels != 4)
    throw DataError(what + ": expected 1, 3 or 4 channels, got " + std::to_string(channels));
  if (a.shape(0) == 0 || a.shape(1) == 0) throw DataError(what + ": empty image");
  const cv::Mat view(static_cast<int>(a.shape(0)), static_cast<int>(a.shape(1)), CV_MAKETYPE(depth_of(a, what), channels),
                     const_cast<void*>(a.data()));
  cv::Mat owned;
  if (order == ChannelOrder::rgb && channels == 3) cv::cvtColor(view, owned, cv::COLOR_RGB2BGR);
  else if (order == ChannelOrder::rgb && channels == 4) cv::cvtColor(view, owned, cv::COLOR_RGBA2BGRA);
  else owned = view.clone();
  return owned;
}

// The pixels in the asked order: the same Mat (shared) for BGR and gray, else one conversion.
cv::Mat pixels_in(const cv::Mat& bgr, ChannelOrder order) {
  if (order == ChannelOrder::bgr || (bgr.channels() != 3 && bgr.channels() != 4)) return bgr;
  cv::Mat out;
  cv::cvtColor(bgr, out, bgr.channels() == 3 ? cv::COLOR_BGR2RGB : cv::COLOR_BGRA2RGBA);
  return out;
}

double number_in(py::handle h, const std::string& what) {
  try {
    return h.cast<double>();
  } catch (const py::cast_error&) {
    throw DataError(what + ": expected a number, got " + std::string(py::str(py::type::of(h))));
  }
}

std::vector<py::object> items_of(py::handle seq, const std::string& what) {
  if (py::isinstance<py::str>(seq) || !py::isinstance<py::sequence>(py::reinterpret_borrow<py::object>(seq))) {
    if (py::hasattr(seq, "tolist")) return items_of(seq.attr("tolist")(), what);
    throw DataError(what + ": expected a list");
  }
  std::vector<py::object> items;
  for (py::handle e : seq) items.push_back(py::reinterpret_borrow<py::object>(e));
  return items;
}

void add_targets(image::Image& img, const SampleOptions& o) {
  if (!o.mask.is_none()) {
    cv::Mat mask = pixels_from(o.mask, ChannelOrder::bgr, "mask");
    if (mask.channels() != 1 || mask.depth() != CV_8U) throw DataError("mask: expected uint8 H×W");
    if (mask.size() != img.size())
      throw DataError("mask: " + std::to_string(mask.cols) + "x" + std::to_string(mask.rows) + " does not match the image's " +
                      std::to_string(img.size().width) + "x" + std::to_string(img.size().height));
    img.mask = mask;
  }
  if (!o.boxes.is_none()) {
    std::size_t i = 0;
    for (const py::object& b : items_of(o.boxes, "boxes")) {
      const std::string what = "boxes[" + std::to_string(i++) + "]";
      auto v = items_of(b, what);
      if (v.size() != 4 && v.size() != 5) throw DataError(what + ": expected [x1, y1, x2, y2] or [x1, y1, x2, y2, label]");
      image::Box box{number_in(v[0], what), number_in(v[1], what), number_in(v[2], what), number_in(v[3], what), ""};
      if (v.size() == 5) box.label = py::str(v[4]).cast<std::string>();
      if (!(box.x1 < box.x2 && box.y1 < box.y2)) throw DataError(what + ": expected x1 < x2 and y1 < y2");
      img.boxes.push_back(std::move(box));
    }
  }
  if (!o.keypoints.is_none()) {
    std::size_t i = 0;
    for (const py::object& k : items_of(o.keypoints, "keypoints")) {
      const std::string what = "keypoints[" + std::to_string(i++) + "]";
      auto v = items_of(k, what);
      if (v.size() != 2 && v.size() != 3) throw DataError(what + ": expected [x, y] or [x, y, label]");
      image::Keypoint point{number_in(v[0], what), number_in(v[1], what), ""};
      if (v.size() == 3) point.label = py::str(v[2]).cast<std::string>();
      img.keypoints.push_back(std::move(point));
    }
  }
}

text::Tokens tokens_from(py::handle obj, const std::string& language) {
  text::Tokens tokens;
  tokens.language = language;
  std::size_t offset = 0;
  std::size_t i = 0;
  for (const py::object& item : items_of(obj, "tokens")) {
    text::Token t;
    if (py::isinstance<py::str>(item)) {
      t.text = item.cast<std::string>();
      // A piece is a word when ICU's word rules find a word in it, as tokenize marks pieces.
      for (const text::Token& piece : text::tokenize(t.text).pieces) t.is_word = t.is_word || piece.is_word;
    } else if (py::isinstance<py::tuple>(item) && py::len(item) == 2) {
      auto pair = item.cast<py::tuple>();
      t.text = pair[0].cast<std::string>();
      t.is_word = pair[1].cast<bool>();
    } else {
      throw DataError("tokens[" + std::to_string(i) + "]: expected a str or a (str, is_word) pair");
    }
    t.offset = offset;
    offset += t.text.size();
    tokens.pieces.push_back(std::move(t));
    ++i;
  }
  return tokens;
}

Sample to_sample(py::handle obj, Kind kind, const SampleOptions& o) {
  switch (kind) {
    case Kind::features: {
      auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(obj);
      if (!a || a.ndim() != 1) throw DataError("features: expected a 1-D array of numbers");
      return features::make_sample(features::FeatureVector(a.data(), a.data() + a.size()));
    }
    case Kind::image: {
      image::Image img(pixels_from(obj, o.order, "image"));
      add_targets(img, o);
      return image::make_sample(std::move(img));
    }
    case Kind::audio: {
      py::object samples = py::reinterpret_borrow<py::object>(obj);
      std::optional<int> rate = o.rate;
      if (py::isinstance<py::tuple>(obj) && py::len(obj) == 2) {
        auto pair = obj.cast<py::tuple>();
        samples = pair[0];
        rate = pair[1].cast<int>();
      }
      if (!rate) throw DataError("audio: give the sample rate (rate=..., or a (samples, rate) pair)");
      auto raw = py::array::ensure(samples);
      if (!raw) throw DataError("audio: expected a float32 array [channels, samples]");
      if (raw.dtype().kind() != 'f') throw DataError("audio: samples must be float32 (full scale [-1, 1]), got " + dtype_text(raw));
      auto a = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(raw);
      if (a.ndim() != 1 && a.ndim() != 2) throw DataError("audio: expected [channels, samples] or [samples]");
      const auto channels = a.ndim() == 2 ? a.shape(0) : 1;
      const auto frames = a.ndim() == 2 ? a.shape(1) : a.shape(0);
      audio::Audio clip;
      clip.sample_rate = *rate;
      for (py::ssize_t c = 0; c < channels; ++c) clip.channels.emplace_back(a.data() + c * frames, a.data() + (c + 1) * frames);
      try {
        audio::check_audio(clip, "audio");
      } catch (const UsageError& e) {
        throw DataError(e.what());  // a bad sample, not a bad use
      }
      return audio::make_sample(std::move(clip));
    }
    case Kind::spectrogram: {
      auto raw = py::array::ensure(obj);
      if (!raw || (raw.ndim() != 2 && raw.ndim() != 3)) throw DataError("spectrogram: expected an array [channels, bins, frames]");
      audio::Spectrogram s;
      if (!o.info.is_none()) s.set_info(from_python(o.info));
      const bool three = raw.ndim() == 3;
      s.channels = three ? static_cast<int>(raw.shape(0)) : 1;
      s.bins = static_cast<int>(raw.shape(three ? 1 : 0));
      s.frames = static_cast<int>(raw.shape(three ? 2 : 1));
      if (raw.dtype().kind() == 'c') {
        auto a = py::array_t<std::complex<float>, py::array::c_style | py::array::forcecast>::ensure(raw);
        s.complex_values.assign(a.data(), a.data() + a.size());
        if (o.info.is_none()) s.power = 0;
      } else {
        auto a = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(raw);
        if (!a) throw DataError("spectrogram: values must be numbers, got " + dtype_text(raw));
        s.values.assign(a.data(), a.data() + a.size());
      }
      return audio::make_sample(std::move(s));
    }
    case Kind::text: {
      if (!py::isinstance<py::str>(obj)) throw DataError("text: expected a str");
      return text::make_sample(text::Text{obj.cast<std::string>(), o.language});
    }
    case Kind::tokens: return text::make_sample(tokens_from(obj, o.language));
    case Kind::video: {
      auto a = py::array::ensure(obj, py::array::c_style);
      if (!a || a.ndim() != 4) throw DataError("video: expected a numpy array T×H×W×C");
      if (a.shape(0) == 0) throw DataError("video: no frames");
      std::vector<cv::Mat> frames;
      for (py::ssize_t t = 0; t < a.shape(0); ++t) frames.push_back(pixels_from(a[py::int_(t)], o.order, "video frame " + std::to_string(t)));
      return Sample(Kind::video, video::Video(std::move(frames), o.fps.value_or(30.0)));
    }
    case Kind::tensor: {
      auto a = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(obj);
      if (!a) throw DataError("tensor: expected a numpy array of numbers");
      Tensor t;
      for (py::ssize_t d = 0; d < a.ndim(); ++d) t.shape.push_back(static_cast<std::size_t>(a.shape(d)));
      t.values.assign(a.data(), a.data() + a.size());
      return make_sample(std::move(t));
    }
  }
  throw std::logic_error("unhandled kind");
}

// A pipeline's result, made ready for Python without the GIL: pending geometry applied (as the
// runner's codec does before writing), pixels in the asked channel order, frames and audio
// channels laid out in one buffer.
struct Result {
  Sample sample;
  json record;
  cv::Mat pixels;
  std::unique_ptr<KeepValue<std::vector<unsigned char>>> block;  // video frames, T×H×W×C
  std::vector<py::ssize_t> block_shape;
  int block_depth = CV_8U;
  std::unique_ptr<KeepValue<std::vector<float>>> audio;  // channels × frames
};

void finish(Result& r, Kind kind, ChannelOrder order) {
  if (auto codecs = registry().codecs(kind); !codecs.empty()) codecs.front()->settle(r.sample);
  if (kind == Kind::image) {
    r.pixels = pixels_in(image::image_of(r.sample).pixels(), order);
  } else if (kind == Kind::video) {
    const video::Video& v = r.sample.as<video::Video>();
    const cv::Size size = v.frame_size();
    const int type = v.frame_type();
    const int channels = CV_MAT_CN(type);
    const std::size_t frame_bytes = static_cast<std::size_t>(size.area()) * CV_ELEM_SIZE(type);
    r.block = std::make_unique<KeepValue<std::vector<unsigned char>>>(std::vector<unsigned char>(frame_bytes * v.frames.size()));
    r.block_shape = {static_cast<py::ssize_t>(v.frames.size()), size.height, size.width, channels};
    r.block_depth = CV_MAT_DEPTH(type);
    v.for_each_frame([&](std::size_t position, const cv::Mat& pixels) {
      if (pixels.size() != size || pixels.type() != type)
        throw DataError("video: frames of different sizes or types cannot make one T×H×W×C array");
      cv::Mat slot(size, type, r.block->value.data() + position * frame_bytes);
      const cv::Mat ordered = v.content == video::FrameContent::pixels ? pixels_in(pixels, order) : pixels;
      ordered.copyTo(slot);
    });
  } else if (kind == Kind::audio) {
    const audio::Audio& clip = audio::audio_of(r.sample);
    std::vector<float> values;
    values.reserve(clip.frames() * clip.channels.size());
    for (const auto& channel : clip.channels) values.insert(values.end(), channel.begin(), channel.end());
    r.audio = std::make_unique<KeepValue<std::vector<float>>>(std::move(values));
  }
}

py::list boxes_list(const std::vector<image::Box>& boxes) {
  py::list out;
  for (const auto& b : boxes) {
    py::list box;
    for (double v : {b.x1, b.y1, b.x2, b.y2}) box.append(v);
    if (!b.label.empty()) box.append(b.label);
    out.append(box);
  }
  return out;
}

py::list keypoints_list(const std::vector<image::Keypoint>& keypoints) {
  py::list out;
  for (const auto& k : keypoints) {
    py::list point;
    point.append(k.x);
    point.append(k.y);
    if (!k.label.empty()) point.append(k.label);
    out.append(point);
  }
  return out;
}

py::object output_of(Result& r, Kind kind, bool targets) {
  switch (kind) {
    case Kind::features: {
      features::FeatureVector& values = features::values_of(r.sample);
      const auto n = static_cast<py::ssize_t>(values.size());
      return vector_array(std::move(values), {n});
    }
    case Kind::image: {
      py::array pixels = mat_array(r.pixels);
      image::Image& img = image::image_of(r.sample);
      if (!targets && !img.mask && img.boxes.empty() && img.keypoints.empty()) return pixels;
      py::dict out;
      out["image"] = pixels;
      out["mask"] = img.mask ? py::object(mat_array(*img.mask, true)) : py::none();
      out["boxes"] = boxes_list(img.boxes);
      out["keypoints"] = keypoints_list(img.keypoints);
      return out;
    }
    case Kind::audio: {
      const audio::Audio& clip = audio::audio_of(r.sample);
      const auto channels = static_cast<py::ssize_t>(clip.channels.size());
      const auto frames = static_cast<py::ssize_t>(clip.frames());
      const void* data = r.audio->value.data();
      py::array samples = shared_array(py::dtype::of<float>(), {channels, frames},
                                       {static_cast<py::ssize_t>(frames * sizeof(float)), sizeof(float)}, data, std::move(r.audio));
      return audio_type(samples, clip.sample_rate);
    }
    case Kind::spectrogram: {
      audio::Spectrogram& s = audio::spectrogram_of(r.sample);
      std::vector<py::ssize_t> shape = {s.channels, s.bins, s.frames};
      if (s.is_complex()) return vector_array(std::move(s.complex_values), shape);
      return vector_array(std::move(s.values), shape);
    }
    case Kind::text: return py::str(text::text_of(r.sample).utf8);
    case Kind::tokens: {
      py::list pieces;
      for (const auto& t : text::tokens_of(r.sample).pieces) pieces.append(py::str(t.text));
      return pieces;
    }
    case Kind::video: {
      const auto& shape = r.block_shape;
      const auto elem = static_cast<py::ssize_t>(CV_ELEM_SIZE1(r.block_depth));
      std::vector<py::ssize_t> strides = {shape[1] * shape[2] * shape[3] * elem, shape[2] * shape[3] * elem, shape[3] * elem, elem};
      const void* data = r.block->value.data();
      return shared_array(dtype_of_depth(r.block_depth), shape, strides, data, std::move(r.block));
    }
    case Kind::tensor: {
      Tensor& t = tensor_of(r.sample);
      std::vector<py::ssize_t> shape(t.shape.begin(), t.shape.end());
      return vector_array(std::move(t.values), std::move(shape));
    }
  }
  throw std::logic_error("unhandled kind");
}

std::string key_text(py::handle key) {
  if (py::isinstance<py::str>(key)) return key.cast<std::string>();
  if (py::isinstance<py::int_>(key)) return py::str(key).cast<std::string>();
  throw py::type_error("key must be a str (or an int), got " + std::string(py::str(py::type::of(key))));
}

Columns columns_of(py::handle columns) {
  Columns out;
  if (columns.is_none()) return out;
  py::object items = py::isinstance<py::dict>(columns) ? columns.attr("items")() : py::reinterpret_borrow<py::object>(columns);
  for (py::handle item : items) {
    auto pair = item.cast<py::tuple>();
    out.emplace_back(pair[0].cast<std::string>(), pair[1].cast<std::string>());
  }
  return out;
}

// The codec of `kind` for `file`'s extension; with no kind, the one kind whose codec reads it.
const SampleCodec& codec_for(const fs::path& file, std::optional<Kind> kind) {
  const std::string ext = lower_extension(file);
  if (kind) {
    if (const SampleCodec* c = registry().codec_for(*kind, ext)) return *c;
    throw DataError(file.string() + ": no " + kind_name(*kind) + " codec reads '" + ext + "' files");
  }
  const SampleCodec* found = nullptr;
  for (Kind k : all_kinds())
    if (const SampleCodec* c = registry().codec_for(k, ext)) {
      if (found) throw py::value_error(file.string() + ": '" + ext + "' files hold " + kind_name(found->kind()) + " or " +
                                       kind_name(k) + " samples: give kind=");
      found = c;
    }
  if (!found) throw DataError(file.string() + ": no codec reads '" + ext + "' files");
  return *found;
}

// ---------------------------------------------------------------------------------------------
// Pipelines

struct PyPipeline {
  explicit PyPipeline(Pipeline p) : pipeline(std::move(p)) {
    // As `augment run` reads: JPEGs at reduced size when the first stage is a resize that
    // shrinks them (augment/image/reduced_decode.hpp), so run_file gives the CLI's bytes.
    if (auto reduce_to = image::reduced_decode_target(pipeline))
      reduced_images = std::make_shared<const image::ImageCodec>(image::ImageWriteOptions{},
                                                                 image::ImageReadOptions{std::move(reduce_to)});
  }
  Pipeline pipeline;
  std::shared_ptr<const image::ImageCodec> reduced_images;  // null: images are decoded in full
  // fit() changes the pipeline while runs in other threads (without the GIL) may read it.
  mutable std::shared_mutex mutex;

  Kind input() const { return pipeline.input_kind(); }
  Kind output() const { return pipeline.output_kind(); }
};

std::unique_ptr<PyPipeline> pipeline_from(py::handle spec) {
  if (py::isinstance<py::str>(spec)) {
    const json parsed = parse_json(spec.cast<std::string>(), "pipeline spec", JsonSource::spec);
    return std::make_unique<PyPipeline>(Pipeline::from_json(parsed, registry()));
  }
  const json parsed = from_python(spec);
  py::gil_scoped_release release;
  return std::make_unique<PyPipeline>(Pipeline::from_json(parsed, registry()));
}

py::tuple run(const PyPipeline& p, py::handle sample, std::uint64_t seed, py::handle key, std::uint64_t copy,
              std::uint64_t epoch, const py::kwargs& kwargs) {
  const SampleOptions o = sample_options(kwargs, p.input());
  const std::string k = key_text(key);
  Result r;
  r.sample = to_sample(sample, p.input(), o);
  {
    py::gil_scoped_release release;
    std::shared_lock lock(p.mutex);
    r.record = p.pipeline.run(r.sample, Rng::derive(seed, k, copy, epoch));
    finish(r, p.output(), o.order);
  }
  py::object out = output_of(r, p.output(), o.targets);
  return py::make_tuple(out, to_python(r.record));
}

py::tuple preprocess(const PyPipeline& p, py::handle sample, const py::kwargs& kwargs) {
  const SampleOptions o = sample_options(kwargs, p.input());
  Result r;
  r.sample = to_sample(sample, p.input(), o);
  {
    py::gil_scoped_release release;
    std::shared_lock lock(p.mutex);
    r.record = p.pipeline.preprocess(r.sample);
    finish(r, p.output(), o.order);
  }
  py::object out = output_of(r, p.output(), o.targets);
  return py::make_tuple(out, to_python(r.record));
}

py::object replay(const PyPipeline& p, py::handle sample, py::handle record, const py::kwargs& kwargs) {
  const SampleOptions o = sample_options(kwargs, p.input());
  const json rec = from_python(record);
  Result r;
  r.sample = to_sample(sample, p.input(), o);
  {
    py::gil_scoped_release release;
    std::shared_lock lock(p.mutex);
    p.pipeline.replay(r.sample, rec);
    finish(r, p.output(), o.order);
  }
  return output_of(r, p.output(), o.targets);
}

py::tuple run_file(const PyPipeline& p, const std::string& path, std::uint64_t seed, py::handle key, std::uint64_t copy,
                   std::uint64_t epoch, py::handle columns, const std::string& channel_order, bool augment,
                   bool full_decode) {
  const ChannelOrder order = order_named(channel_order);
  const std::string k = key.is_none() ? path : key_text(key);
  const Columns cols = columns_of(columns);
  bool targets = false;
  Result r;
  {
    py::gil_scoped_release release;
    const SampleCodec* codec = &codec_for(path, p.input());
    if (p.reduced_images && !full_decode && codec->kind() == Kind::image) codec = p.reduced_images.get();
    r.sample = codec->read_with_columns(path, cols);
    if (p.input() == Kind::image) {
      const image::Image& img = image::image_of(r.sample);
      targets = img.mask || !img.boxes.empty() || !img.keypoints.empty();
    }
    std::shared_lock lock(p.mutex);
    r.record = augment ? p.pipeline.run(r.sample, Rng::derive(seed, k, copy, epoch)) : p.pipeline.preprocess(r.sample);
    finish(r, p.output(), order);
  }
  py::object out = output_of(r, p.output(), targets);
  return py::make_tuple(out, to_python(r.record));
}

void fit(PyPipeline& p, py::iterable samples, const py::kwargs& kwargs) {
  const SampleOptions o = sample_options(kwargs, p.input());
  std::vector<Sample> all;
  for (py::handle s : samples) all.push_back(to_sample(s, p.input(), o));
  py::gil_scoped_release release;
  std::unique_lock lock(p.mutex);
  // Fixed blocks of 1,024 samples, as feature tables are fitted: the state does not depend on
  // the number of threads.
  constexpr std::size_t kBlock = 1024;
  p.pipeline.fit([&all]() -> SampleBlockReader {
    return [&all, next = std::size_t{0}](std::vector<Sample>& block) mutable {
      if (next >= all.size()) return false;
      const std::size_t end = std::min(all.size(), next + kBlock);
      block.assign(all.begin() + static_cast<std::ptrdiff_t>(next), all.begin() + static_cast<std::ptrdiff_t>(end));
      next = end;
      return true;
    };
  });
}

py::dict fit_dataset(PyPipeline& p, const std::string& input, const std::string& root, bool fail_fast) {
  std::vector<std::string> errors;
  runner::DatasetFitSummary s;
  {
    py::gil_scoped_release release;
    std::unique_lock lock(p.mutex);
    runner::DatasetFitOptions options;
    options.root = root;
    options.fail_fast = fail_fast;
    options.report = [&errors](const std::string& line) { errors.push_back(line); };
    s = runner::fit_dataset(p.pipeline, input, registry(), options);
  }
  py::dict out;
  out["sources"] = s.sources;
  out["failed"] = s.failed;
  out["passes"] = s.passes;
  out["errors"] = errors;
  return out;
}

// The bench's baseline: `repeats` runs of the pipeline on copies of one sample, in C++ (the
// sample converted once, each run on a fresh copy keyed as run() keys it), in seconds.
double native_seconds(const PyPipeline& p, py::handle sample, std::size_t repeats, std::uint64_t seed, py::handle key,
                      const py::kwargs& kwargs) {
  const SampleOptions o = sample_options(kwargs, p.input());
  const std::string k = key_text(key);
  const Sample source = to_sample(sample, p.input(), o);
  py::gil_scoped_release release;
  std::shared_lock lock(p.mutex);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < repeats; ++i) {
    Result r;
    r.sample = source;
    r.record = p.pipeline.run(r.sample, Rng::derive(seed, k, i, 0));
    finish(r, p.output(), o.order);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// ---------------------------------------------------------------------------------------------
// Module-level functions

py::list ops(std::optional<std::string> kind) {
  std::optional<Kind> only;
  if (kind) only = kind_named(*kind);
  py::list out;
  // As `augment list --format json`: grouped by the kind they take, in kind order.
  for (Kind k : all_kinds()) {
    if (only && k != *only) continue;
    for (const OpInfo* op : registry().ops(k)) out.append(to_python(op->describe()));
  }
  return out;
}

py::object read_sample(const std::string& path, std::optional<std::string> kind, py::handle columns, const std::string& channel_order) {
  const ChannelOrder order = order_named(channel_order);
  std::optional<Kind> k;
  if (kind) k = kind_named(*kind);
  const Columns cols = columns_of(columns);
  Result r;
  Kind read_kind = Kind::features;
  {
    py::gil_scoped_release release;
    const SampleCodec& codec = codec_for(path, k);
    read_kind = codec.kind();
    r.sample = codec.read_with_columns(path, cols);
    finish(r, read_kind, order);
  }
  return output_of(r, read_kind, false);
}

py::bytes encode(py::handle pixels, const std::string& extension, const std::string& channel_order) {
  const cv::Mat bgr = pixels_from(pixels, order_named(channel_order), "image");
  std::vector<std::uint8_t> bytes;
  {
    py::gil_scoped_release release;
    bytes = image::encode_image(bgr, extension, image::ImageWriteOptions{});
  }
  return py::bytes(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

py::dict list_dataset(const std::string& input, const std::string& kind, const std::string& root) {
  struct Row {
    runner::DatasetEntry entry;
    std::string folder_class;
  };
  std::vector<Row> rows;
  std::vector<std::string> label_columns;
  std::string dataset_root;
  std::size_t ignored = 0;
  const Kind k = kind_named(kind);
  {
    py::gil_scoped_release release;
    runner::DatasetReader reader(input, k, registry(), root);
    const bool folder = fs::is_directory(input);
    runner::DatasetEntry e;
    while (reader.next(e)) rows.push_back({e, folder ? runner::class_subfolder(e.source, input) : std::string()});
    label_columns = reader.label_columns();
    dataset_root = reader.root().string();
    ignored = reader.ignored();
  }
  py::list entries;
  for (const Row& r : rows)
    entries.append(py::make_tuple(r.entry.index, r.entry.key, r.entry.source.string(), r.entry.labels, r.entry.error, r.folder_class));
  py::dict out;
  out["root"] = dataset_root;
  out["label_columns"] = label_columns;
  out["entries"] = entries;
  out["ignored"] = ignored;
  return out;
}

py::list read_text_records(const std::string& file, const std::string& text_column, const std::string& key_column,
                           const std::string& language, const std::vector<std::string>& label_columns) {
  std::vector<text::LabelledRecord> records;
  {
    py::gil_scoped_release release;
    text::TextRecordOptions options;
    options.format = text::record_format(file);
    options.text_column = text_column;
    options.key_column = key_column;
    options.language = language;
    records = text::read_labelled_records(file, options, label_columns);
  }
  py::list out;
  for (const auto& r : records) out.append(py::make_tuple(r.line, r.key, r.text.utf8, r.text.language, r.labels));
  return out;
}

void prepare_parallel_run() {
  for (Kind k : all_kinds())
    for (const SampleCodec* codec : registry().codecs(k)) codec->prepare_parallel_run();
}

py::dict limits_dict() {
  const Limits& l = limits();
  py::dict out;
  out["image_pixels"] = l.image_pixels;
  out["record_bytes"] = l.record_bytes;
  out["json_depth"] = l.json_depth;
  out["allocation_bytes"] = l.allocation_bytes;
  out["audio_samples"] = l.audio_samples;
  return out;
}

}  // namespace
}  // namespace augment::python

PYBIND11_MODULE(_augment, m) {
  using namespace augment::python;
  namespace a = augment;
  m.doc() = "The augment C++ core: pipelines, samples as numpy arrays, files through the CLI's codecs.";
  m.attr("__version__") = augment::version;  // augment/core/version.hpp, as `augment --version`

  // Errors: bad samples and files are DataError (a ValueError); bad specs, params and uses are
  // ValueError; the messages are the CLI's.
  static py::exception<a::DataError> data_error(m, "DataError", PyExc_ValueError);
  data_error.attr("__module__") = "augment";
  data_error.attr("__doc__") = "A sample or file that cannot be used (the message names it and says why).";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const a::DataError& e) {
      data_error(e.what());
    } catch (const a::SpecError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const a::UsageError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const std::filesystem::filesystem_error& e) {
      std::string where = e.path1().string();
      if (!e.path2().empty()) where += " -> " + e.path2().string();
      PyErr_SetString(PyExc_OSError, ((where.empty() ? std::string("file system") : where) + ": " + e.code().message()).c_str());
    }
  });

  audio_type = py::module_::import("collections").attr("namedtuple")("Audio", py::make_tuple("samples", "rate")).release();
  audio_type.attr("__module__") = "augment";
  audio_type.attr("__doc__") = "An audio sample: float32 samples [channels, frames] (full scale [-1, 1]) and the rate in Hz.";
  m.attr("Audio") = audio_type;

  py::class_<PyPipeline>(m, "Pipeline", "A pipeline built from a JSON spec, checked when built (see the README's pipeline specs).")
      .def_static("load", [](const std::string& path) {
            py::gil_scoped_release release;
            return std::make_unique<PyPipeline>(a::Pipeline::load(path, registry()));
          }, py::arg("path"), "Reads a spec file (JSON).")
      .def_static("from_json", &pipeline_from, py::arg("spec"), "Builds from a spec: a dict, or its JSON text.")
      .def("to_json", [](const PyPipeline& p) {
            std::shared_lock lock(p.mutex);
            return to_python(p.pipeline.to_json());
          }, "The spec, every parameter explicit and fitted state included.")
      .def("save", [](const PyPipeline& p, const std::string& path) {
            py::gil_scoped_release release;
            std::shared_lock lock(p.mutex);
            p.pipeline.save(path);
          }, py::arg("path"), "Writes to_json() to a file atomically.")
      .def_property_readonly("input_kind", [](const PyPipeline& p) { return kind_name(p.input()); })
      .def_property_readonly("output_kind", [](const PyPipeline& p) { return kind_name(p.output()); })
      .def_property_readonly("unfitted_stages", [](const PyPipeline& p) {
            std::shared_lock lock(p.mutex);
            return p.pipeline.unfitted_stages();
          })
      .def_property_readonly("deterministic_prefix", [](const PyPipeline& p) { return p.pipeline.deterministic_prefix(); })
      .def("__call__", &run, py::arg("sample"), py::arg("seed") = 0, py::arg("key") = "", py::arg("copy") = 0,
           py::arg("epoch") = 0,
           "Runs every stage on the sample, drawing from Rng::derive(seed, key, copy, epoch) as `augment run` "
           "does (copy c of a source with key k is `augment run --seed S` output copy c). Returns (output, record).")
      .def("preprocess", &preprocess, py::arg("sample"),
           "Only the deterministic stages (what fitting applies). Returns (output, record).")
      .def("replay", &replay, py::arg("sample"), py::arg("record"), "Applies a record of drawn params: the same output.")
      .def("run_file", &run_file, py::arg("path"), py::arg("seed") = 0, py::arg("key") = py::none(), py::arg("copy") = 0,
           py::arg("epoch") = 0, py::arg("columns") = py::none(), py::arg("channel_order") = "rgb",
           py::arg("augment") = true, py::arg("full_decode") = false,
           "Reads a file with the codec `augment run` uses (with a manifest row's columns: boxes, keypoints), "
           "runs the pipeline (or only preprocess() when augment is False) without the GIL. Returns (output, record). "
           "A JPEG is decoded at reduced size when the first stage is a resize that shrinks it, as `augment run` "
           "does; full_decode=True is `augment run --full-decode`.")
      .def("fit", &fit, py::arg("samples"), "Fits the fitted stages on an iterable of samples (read once, kept in memory).")
      .def("fit_dataset", &fit_dataset, py::arg("input"), py::arg("root") = "", py::arg("fail_fast") = false,
           "Fits on a folder or manifest as `augment fit` does; returns {sources, failed, passes, errors}.")
      .def("_native_seconds", &native_seconds, py::arg("sample"), py::arg("repeats"), py::arg("seed") = 0,
           py::arg("key") = "", "Seconds for `repeats` runs in C++ alone (the benchmark's baseline).")
      .def("__repr__", [](const PyPipeline& p) {
            return "<augment.Pipeline " + kind_name(p.input()) + " -> " + kind_name(p.output()) + ">";
          })
      .def(py::pickle(
          [](const PyPipeline& p) {
            std::shared_lock lock(p.mutex);
            return p.pipeline.to_json().dump();
          },
          [](const std::string& spec) {
            return std::make_unique<PyPipeline>(a::Pipeline::from_json(a::parse_json(spec, "pipeline spec", a::JsonSource::spec), registry()));
          }));

  m.def("ops", &ops, py::arg("kind") = py::none(), "The transform catalogue, as `augment list --format json` prints it.");
  m.def("read", &read_sample, py::arg("path"), py::arg("kind") = py::none(), py::arg("columns") = py::none(),
        py::arg("channel_order") = "rgb", "Reads a file through the codec `augment run` uses.");
  m.def("encode_image", &encode, py::arg("pixels"), py::arg("extension"), py::arg("channel_order") = "rgb",
        "Encodes pixels as `augment run` writes them ('.png', '.jpg', ...); returns the file's bytes.");
  m.def("_list_dataset", &list_dataset, py::arg("input"), py::arg("kind"), py::arg("root") = "");
  m.def("_read_text_records", &read_text_records, py::arg("file"), py::arg("text_column") = "text",
        py::arg("key_column") = "", py::arg("language") = "", py::arg("label_columns") = std::vector<std::string>{});
  m.def("prepare_parallel_run", &prepare_parallel_run,
        "Turns the libraries' own threading off (OpenCV's), as `augment run` does in its workers: call it once in "
        "each worker process.");
  m.def("set_limit", [](const std::string& assignment) {
          a::Limits l = a::limits();
          a::apply_limit(l, assignment);
          a::set_limits(l);
        }, py::arg("assignment"), "Raises a resource limit, as the CLI's --limit NAME=VALUE (set it before running).");
  m.def("limits", &limits_dict, "The resource limits in force.");
  m.def("kinds", [] {
    std::vector<std::string> out;
    for (a::Kind k : a::all_kinds()) out.push_back(kind_name(k));
    return out;
  });
}
