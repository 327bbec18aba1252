pub mod json_schema;
