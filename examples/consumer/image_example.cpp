// Images from C++ (link augment::image): decode, augment with a seeded draw, and hand a
// C×H×W float tensor to a network; then write the result as PNG bytes.
#include <augment/core/pipeline.hpp>
#include <augment/core/tensor.hpp>
#include <augment/image/image.hpp>
#include <augment/image/image_codec.hpp>
#include <augment/image/register_transforms.hpp>

#include <iostream>

#include "examples.hpp"

bool image_example() {
  // A 300×200 BGR image (as OpenCV holds it; a file would come from ImageCodec().read(path)).
  cv::Mat pixels(200, 300, CV_8UC3, cv::Scalar(40, 120, 200));
  cv::rectangle(pixels, {100, 50}, {200, 150}, cv::Scalar(255, 255, 255), cv::FILLED);

  const augment::Registry registry = augment::make_registry({augment::image::register_transforms});
  const auto pipeline = augment::Pipeline::from_json(
      {{"kind", "image"},
       {"stages",
        {{{"op", "resize_longest"}, {"size", 96}},
         {{"op", "rotate"}, {"degrees", {-15, 15}}},
         {{"op", "hflip"}, {"p", 0.5}},
         {{"op", "to_tensor"}}}}},  // RGB planes, levels / 255
      registry);
  augment::Sample sample = augment::image::make_sample(augment::image::Image(pixels));
  // The draws depend only on (seed, key, copy, epoch), as in `augment run`.
  const nlohmann::json record = pipeline.run(sample, augment::Rng::derive(7, "photos/a.jpg", 0, 0));
  const augment::Tensor& tensor = augment::tensor_of(sample);
  std::cout << "image tensor " << tensor.shape[0] << 'x' << tensor.shape[1] << 'x' << tensor.shape[2]
            << ", rotated " << record[1]["params"]["degrees"] << " degrees\n";
  // resize_longest 96 keeps 3:2 → 96×64; R is 200/255 in the first plane's corner (unrotated
  // corners may be filled by the rotation, so read the centre, which is white).
  const float centre_red = tensor.values[32 * 96 + 48];
  const bool shape_ok = tensor.shape == std::vector<std::size_t>{3, 64, 96};

  // Encoding and decoding without files: the same pixels back from PNG.
  const std::vector<std::uint8_t> png = augment::image::encode_image(pixels, ".png", {});
  const cv::Mat decoded = augment::image::decode_image(png);
  const bool png_ok = decoded.size() == pixels.size() && cv::norm(decoded, pixels, cv::NORM_INF) == 0;
  return shape_ok && centre_red == 1.0f && png_ok;
}
