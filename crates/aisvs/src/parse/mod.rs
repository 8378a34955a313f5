//! Parsing: YAML/JSON into span-carrying trees; other file kinds are parsed by the model layers that read them.

pub mod dockerfile;
pub mod node;
pub mod terraform;
pub mod yaml;
pub mod yaml_lenient;

pub use node::{Entry, Node, Route, Seg, Value};
pub use yaml::{parse_yaml, Document};
