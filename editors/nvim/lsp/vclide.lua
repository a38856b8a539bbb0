-- Default configuration for Neovim 0.11+ (`:help lsp-config`): with this folder
-- on 'runtimepath', `vim.lsp.enable('vclide')` is all that is needed.
-- require('vclide').setup() layers its options on top of this.
return {
  cmd = { 'vclide', 'lsp' },
  filetypes = { 'vcl', 'terraform' },
  root_markers = { '.vclide.yaml', '.git' },
}
