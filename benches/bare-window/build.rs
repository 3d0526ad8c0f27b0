fn main() {
    if let Err(error) = tauri_build::try_build(tauri_build::Attributes::new()) {
        // A build script reports failure by panicking; the message is the build error.
        #[allow(clippy::panic)]
        {
            panic!("tauri-build failed: {error:#}");
        }
    }
}
