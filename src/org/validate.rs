//! `orgscope validate`.
