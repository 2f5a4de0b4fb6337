"""Audio mechanics, once each: ffmpeg/ffprobe calls, MP3 frames, WAV, silence, loudness,
stitching."""
