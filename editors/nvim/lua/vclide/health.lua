-- :checkhealth vclide — is the vclide binary there and does it run, is the
-- Neovim recent enough, is nvim-dap installed for debugging.
--
-- Neovim 0.10 and later report through vim.health; 0.7-0.9 through
-- require('health').report_*.

local M = {}

local function reporter()
  local h = vim.health
  if h and h.start then
    return { start = h.start, ok = h.ok, warn = h.warn, error = h.error, info = h.info }
  end
  local old = require('health')
  return {
    start = old.report_start,
    ok = old.report_ok,
    warn = old.report_warn,
    error = old.report_error,
    info = old.report_info,
  }
end

--- Runs the checks; called by :checkhealth vclide.
function M.check()
  local report = reporter()
  local vclide = require('vclide')

  report.start('Neovim')
  if vim.fn.has('nvim-0.7') == 1 then
    report.ok('Neovim ' .. tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. ' (0.7 or later is supported)')
  else
    report.error('Neovim 0.7 or later is required')
  end
  if vim.fn.has('nvim-0.9') == 0 then
    report.info('before Neovim 0.9 highlighting comes from syntax/vcl.vim (no LSP semantic tokens)')
  end

  report.start('vclide binary')
  local path = vclide.resolve_path()
  if path == nil then
    report.error('vclide not found (configured path: ' .. tostring(vclide.config.path) .. ')',
      { vclide.missing_message() })
  else
    local out = vim.fn.systemlist({ path, 'version' })
    if vim.v.shell_error == 0 and #out > 0 then
      report.ok(path .. ': ' .. out[1])
    else
      report.error(path .. ' does not run (`' .. path .. ' version` exited ' .. tostring(vim.v.shell_error) .. ')',
        { table.concat(out, '\n') })
    end
  end

  report.start('Debugging')
  if not vclide.config.dap then
    report.info('nvim-dap integration is turned off (dap = false)')
  elseif pcall(require, 'dap') then
    report.ok('nvim-dap is installed; the vcl adapter runs `vclide dap`')
  else
    report.warn('nvim-dap is not installed: the debug configurations are not available',
      { 'install https://github.com/mfussenegger/nvim-dap' })
  end
end

return M
