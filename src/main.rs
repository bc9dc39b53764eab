fn main() {
    std::process::exit(socops::cli::main());
}
