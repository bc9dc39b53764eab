//! From a key (or a mouse event) to what it does: key specs, the configurable keymap, the
//! help generated from it, the filter line and the `:` palette while typing, and what each
//! keymap action performs in the normal mode.

pub mod help;
pub mod key;
pub mod keymap;
pub mod mouse;
pub mod palette;
pub mod palette_args;
pub mod perform;
pub mod typing;
