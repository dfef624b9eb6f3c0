//! TEMPORARY placeholder until the plugin loader lands (branch `plugin`).
pub(crate) struct PluginModule;
pub(crate) fn load(path: &std::path::Path) -> Result<PluginModule, String> {
    Err(format!("cannot load plugin {}", path.display()))
}
impl PluginModule {
    pub(crate) fn procedures(&self, _vm: &mut seam_vm::Vm) -> Vec<(String, seam_vm::Value)> {
        Vec::new()
    }
}
