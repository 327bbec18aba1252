use clap::Parser;

fn main() {
    orgscope::tune_allocator();
    let cli = orgscope::cli::Cli::parse();
    match orgscope::cli::run(cli) {
        Ok(code) => std::process::exit(code),
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if is_broken_pipe(&e) => std::process::exit(0),
        Err(e) => {
            // Errors quote names from input files: keep their escape sequences inert.
            eprintln!("orgscope: {}", orgscope::text::inert(&format!("{e:#}")));
            std::process::exit(1);
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
