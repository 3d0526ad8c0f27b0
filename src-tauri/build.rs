// tauri.conf.json sits at the repository root, but the capabilities live beside the shell's sources.
fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes =
        tauri_build::Attributes::new().capabilities_path_pattern("src-tauri/capabilities/**/*");
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script reports failure by panicking; the message is the build error.
        #[allow(clippy::panic)]
        {
            panic!("tauri-build failed: {error:#}");
        }
    }
}
