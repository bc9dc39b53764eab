//! Command-line entry: parses flags, loads config, and runs the console, a headless command,
//! the simulator or the sign-in.

/// Entry point of the binary; returns the process exit code.
pub fn main() -> i32 {
    0
}
