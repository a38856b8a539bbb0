-- End-to-end check of the Neovim plugin against a real `vclide lsp`.
-- Run by test/run.sh (see there); reads:
--   VCLIDE_BIN         the vclide binary (required)
--   VCLIDE_FIXTURE     the .vcl file to open
--   VCLIDE_TIMEOUT_MS  how long to wait for the server (default 20000)
-- Exits 0 when every check passes, 1 otherwise, printing one line per check.

local bin = os.getenv('VCLIDE_BIN')
local fixture = os.getenv('VCLIDE_FIXTURE')
local timeout = tonumber(os.getenv('VCLIDE_TIMEOUT_MS') or '') or 20000

local passed, failed = 0, 0

local function out(msg)
  io.stdout:write(msg .. '\n')
  io.stdout:flush()
end

local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    out('ok   ' .. name)
  else
    failed = failed + 1
    out('FAIL ' .. name .. (detail and (': ' .. detail) or ''))
  end
  return ok
end

local function finish()
  out(('lsp_spec: %d passed, %d failed'):format(passed, failed))
  if failed > 0 then
    vim.cmd('cquit 1')
  else
    vim.cmd('qall!')
  end
end

local function buf_clients(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr })
  end
  local list = {}
  for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
    table.insert(list, c)
  end
  return list
end

-- 0-based line and column of the first occurrence of text in the buffer.
local function find(bufnr, text)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local col = line:find(text, 1, true)
    if col then
      return i - 1, col - 1
    end
  end
end

-- Every spelling a completion item may use for the text it inserts.
local function item_words(item)
  local words = { item.label, item.insertText, item.filterText }
  if type(item.textEdit) == 'table' then
    table.insert(words, item.textEdit.newText)
  end
  return words
end

local function offered(items, word)
  for _, item in ipairs(items) do
    for _, w in ipairs(item_words(item)) do
      if w == word then
        return true
      end
    end
  end
  return false
end

local function run()
  check('VCLIDE_BIN is set', bin ~= nil and bin ~= '', 'set VCLIDE_BIN to the vclide binary')
  check('VCLIDE_BIN is executable', bin ~= nil and vim.fn.executable(bin) == 1, tostring(bin))
  check('fixture exists', fixture ~= nil and vim.fn.filereadable(fixture) == 1, tostring(fixture))
  if failed > 0 then
    return
  end

  -- Note every publishDiagnostics, even an empty one, to tell "no answer" from "no problems".
  local publishes = 0
  local default_handler = vim.lsp.handlers['textDocument/publishDiagnostics']
  vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
    publishes = publishes + 1
    return default_handler(err, result, ctx, config)
  end

  local vclide = require('vclide')
  check('setup() succeeds', vclide.setup({ path = bin, dap = false }) == true)

  vim.cmd('edit ' .. vim.fn.fnameescape(fixture))
  local bufnr = vim.api.nvim_get_current_buf()
  check('filetype is vcl', vim.bo[bufnr].filetype == 'vcl', 'got "' .. vim.bo[bufnr].filetype .. '"')

  local attached = vim.wait(timeout, function()
    return #buf_clients(bufnr) > 0
  end, 50)
  if not check('vclide attached to the buffer', attached, 'no LSP client after ' .. timeout .. ' ms') then
    return
  end
  local client = buf_clients(bufnr)[1]
  check('client is named vclide', client.name == 'vclide', client.name)

  -- Diagnostics: the fixture reads an undeclared local variable.
  local got = vim.wait(timeout, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 50)
  local diags = vim.diagnostic.get(bufnr)
  if not check(
    'diagnostics received',
    got,
    publishes == 0 and 'the server published no diagnostics'
      or ('the server published %d time(s) but never an error'):format(publishes)
  ) then
    return
  end
  local bad_line = find(bufnr, 'var.not_declared')
  local on_bad_line = false
  local lines = {}
  for _, d in ipairs(diags) do
    table.insert(lines, ('%d:%d %s'):format(d.lnum + 1, d.col + 1, d.message))
    if d.lnum == bad_line then
      on_bad_line = true
    end
  end
  check(
    'a diagnostic flags the undeclared variable on line ' .. (bad_line + 1),
    on_bad_line,
    'diagnostics: ' .. table.concat(lines, ' | ')
  )

  -- Completion in expression position inside sub vcl_recv, with no prefix typed.
  local line, col = find(bufnr, 'set req.http.X-Probe = req.url;')
  col = col + #'set req.http.X-Probe = '
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = line, character = col },
    context = { triggerKind = 1 },
  }
  local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', params, timeout)
  if not check('completion answered', responses ~= nil, tostring(err)) then
    return
  end
  local items = {}
  for _, resp in pairs(responses) do
    check('completion has no error', resp.err == nil, resp.err and vim.inspect(resp.err))
    local result = resp.result or {}
    for _, item in ipairs(result.items or result) do
      table.insert(items, item)
    end
  end
  local where = ('line %d, column %d (in sub vcl_recv)'):format(line + 1, col + 1)
  local sample = {}
  for i = 1, math.min(#items, 15) do
    table.insert(sample, items[i].label)
  end
  local summary = ('%d items: %s%s'):format(#items, table.concat(sample, ', '), #items > 15 and ', ...' or '')
  check('completion at ' .. where .. ' offers req.url', offered(items, 'req.url'), summary)
  check('completion at ' .. where .. ' does not offer beresp.ttl', not offered(items, 'beresp.ttl'), summary)
end

local ok, err = xpcall(run, debug.traceback)
check('spec ran without a Lua error', ok, err)
finish()
