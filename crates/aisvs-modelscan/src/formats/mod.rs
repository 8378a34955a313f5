//! Per-format scanners. Each one bounds every length by the bytes that remain and reports what
//! it could not understand instead of guessing.

pub mod codec;
pub mod compressed;
pub mod gguf;
pub mod hdf5;
pub mod jinja;
pub mod keras;
pub mod lz4_frames;
pub mod lzma_alone;
pub mod npy;
pub mod onnx;
pub mod safetensors;
pub mod tar;
pub mod torch_tar;
pub mod zip;
pub mod zipdir;
pub mod zstd_frames;
