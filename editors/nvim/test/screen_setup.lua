-- Used by run.sh for the screen capture: opens the fixture with vclide
-- attached, waits for diagnostics, opens LSP completion inside vcl_recv, then
-- writes "$VCLIDE_SCREEN_READY" so run.sh can capture the terminal.
local uv = vim.uv or vim.loop
local ready_file = os.getenv('VCLIDE_SCREEN_READY')
local timeout = tonumber(os.getenv('VCLIDE_TIMEOUT_MS') or '') or 20000

vim.o.number = true
vim.o.signcolumn = 'yes'
vim.o.completeopt = 'menuone,noinsert'
vim.o.shortmess = vim.o.shortmess .. 'c'
pcall(vim.cmd, 'syntax on')
pcall(vim.diagnostic.config, { virtual_text = true, signs = true })

require('vclide').setup({ path = os.getenv('VCLIDE_BIN'), dap = false })
vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('VCLIDE_FIXTURE')))
local bufnr = vim.api.nvim_get_current_buf()

local function done()
  vim.fn.writefile({ 'ready' }, ready_file)
end

local start = uv.now()
local timer = uv.new_timer()
timer:start(100, 100, vim.schedule_wrap(function()
  local have = #vim.diagnostic.get(bufnr) > 0
  if not have and uv.now() - start < timeout then
    return
  end
  timer:stop()
  -- Put the cursor before `req.url` on the X-Probe line and ask for completion.
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local col = line:find('= req.url;', 1, true)
    if col then
      vim.api.nvim_win_set_cursor(0, { i, col + 1 })
      break
    end
  end
  vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc'
  local keys = vim.api.nvim_replace_termcodes('i<C-x><C-o>', true, false, true)
  vim.api.nvim_feedkeys(keys, 'n', false)
  vim.defer_fn(done, 1500)
end))
