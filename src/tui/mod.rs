//! The terminal UI: browse the organization.

pub mod commands;
pub mod config;
pub mod history;
pub mod json;
pub mod keymap;
pub mod osc52;
pub mod sanitize;
pub mod search;
pub mod theme;
pub mod tree;
