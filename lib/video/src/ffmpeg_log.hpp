#pragma once
// FFmpeg's and OpenCV's own log lines ("[mov,mp4,...] moov atom not found") name no file and
// repeat what our DataErrors say with the path, so the module quiets them (private to the video
// module).

namespace augment::video::detail {

/// Sets OPENCV_FFMPEG_LOGLEVEL to quiet (-8, AV_LOG_QUIET) once, before OpenCV's FFmpeg backend
/// starts (it reads the variable then), and OpenCV's log level to silent; a user who set
/// OPENCV_FFMPEG_LOGLEVEL, OPENCV_FFMPEG_DEBUG or OPENCV_LOG_LEVEL keeps their choice. Call
/// before opening any capture or writer.
void quiet_ffmpeg_logs();

}  // namespace augment::video::detail
