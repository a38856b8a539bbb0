-- End-to-end check: the plugin attaches vclide to Terraform files and the
-- server reports problems inside a fastly_service_vcl snippet heredoc at its
-- line. Run by test/run.sh; reads VCLIDE_BIN, VCLIDE_TF_DIR (a copy of
-- examples/terraform) and VCLIDE_TIMEOUT_MS.

local bin = os.getenv('VCLIDE_BIN')
local dir = os.getenv('VCLIDE_TF_DIR')
local timeout = tonumber(os.getenv('VCLIDE_TIMEOUT_MS') or '') or 20000
local t = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/check.lua')
local out, check = t.out, t.check


local function run()
  require('vclide').setup({ path = bin, dap = false })
  vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/main.tf'))
  local bufnr = vim.api.nvim_get_current_buf()
  check('*.tf gets filetype terraform', vim.bo[bufnr].filetype == 'terraform', vim.bo[bufnr].filetype)
  -- Put a vcl_fetch variable into the vcl_recv snippet heredoc.
  local target
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if line:find('set req.http.X-Route = "api";', 1, true) then
      target = i - 1
    end
  end
  vim.api.nvim_buf_set_lines(bufnr, target, target + 1, false, { '  set req.http.X-Route = beresp.status;' })
  local got = vim.wait(timeout, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.lnum == target and d.message:find('beresp.status', 1, true) then
        return true
      end
    end
    return false
  end, 50)
  local lines = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(lines, ('%d:%d %s'):format(d.lnum + 1, d.col + 1, d.message))
  end
  check('a diagnostic in the recv heredoc on line ' .. (target + 1), got, table.concat(lines, ' | '))
end

local ok, err = pcall(run)
check('no error', ok, tostring(err))
io.stdout:write(('terraform_spec: %d passed, %d failed\n'):format(t.passed, t.failed))
if t.failed > 0 then
  vim.cmd('cquit 1')
else
  vim.cmd('qall!')
end
