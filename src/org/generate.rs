//! Synthetic organizations at any scale.
