#pragma once
// VideoCodec's frames output: a manifest CSV and the frame files it lists, in a folder named
// after the manifest (`clip.csv` lists `clip/f000010.png`).
//
// Frame files are named by source frame, `f<source_frame:06>` (more digits past 999999), and a
// flow field by both its frames, `f<from:06>-<to:06>`. A frame the selection holds twice (a
// clip padded by repeating its last frame, overlapping clips) is one file listed on each row
// while its copies hold the same picture; a copy a stage made different (a per-frame draw) is
// its own file, `f000010_1.png` (`_2`, ... for more), so no row shows another row's picture.
#include <filesystem>
#include <ostream>
#include <string>

#include "augment/core/atomic_file.hpp"
#include "augment/image/image_codec.hpp"
#include "augment/video/video.hpp"

namespace augment::video::detail {

/// How frame files are written: the image format (".png") of pixel frames and of the colour
/// image of a flow field, and its encoder settings.
struct FrameFileFormat {
  std::string image_extension = ".png";
  image::ImageWriteOptions image;
};

/// Writes the manifest: a row per frame in order, columns `path,source_frame,time`, then
/// `clip` when some frame has a clip other than 0, then for flow `flow_to` and `colour` (the
/// colour image; `path` is the .flo). Paths are `<folder>/<file>`, relative to the manifest.
/// `time` is the source frame's time in the source, source_frame / the source's fps with 6
/// decimals; empty when the fps is unknown. Throws DataError "no frames to write" for none.
void write_frames_manifest(const Video& video, const std::string& folder, const std::string& image_extension,
                           std::ostream& out);

/// Writes the frame files into `folder` (made if missing), each atomically, then removes the
/// frame files of an earlier run this one did not write: only names of the frame pattern
/// (`f` + digits [+ `-` + digits] [+ `_` + digits] + an image extension or .flo); other files are left alone.
/// Throws DataError "FILE: reason" naming the frame file that failed.
void write_frame_files(const Video& video, const std::filesystem::path& folder, const FrameFileFormat& format,
                       Durability durability);

}  // namespace augment::video::detail
