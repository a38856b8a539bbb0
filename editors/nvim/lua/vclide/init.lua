-- vclide for Neovim: starts `vclide lsp` for Fastly VCL buffers and registers
-- `vclide dap` with nvim-dap.
--
--   require('vclide').setup({ path = 'vclide' })
--
-- Works on Neovim 0.7 and later: 0.11+ uses vim.lsp.config/vim.lsp.enable,
-- 0.8-0.10 vim.lsp.start from a FileType autocmd, 0.7 vim.lsp.start_client
-- with vim.lsp.buf_attach_client.

local M = {}

local uv = vim.uv or vim.loop

-- The README's install command (run in a clone of the repository).
M.install_command = 'go install ./cmd/vclide'

M.defaults = {
  -- The vclide executable: a full path (~ allowed), or a command name looked up
  -- on PATH and then in $(go env GOPATH)/bin, like the VS Code extension does.
  path = 'vclide',
  -- Passed as --log-level when set: 'debug', 'info', 'warn' or 'error'.
  log_level = nil,
  -- Folders searched for `include` files; sent as initializationOptions.includePaths
  -- and as settings.vclide.includePaths.
  include_paths = {},
  -- A buffer's root is the nearest folder upwards holding one of these.
  root_markers = { '.vclide.yaml', '.git' },
  -- 'terraform' (*.tf): the language server checks the VCL of fastly_service_vcl
  -- snippet and vcl heredocs and answers nothing elsewhere in the file. Add 'tf'
  -- if your Neovim detects *.tf as that.
  filetypes = { 'vcl', 'terraform' },
  -- Extra settings sent with workspace/didChangeConfiguration (merged under `vclide`).
  settings = {},
  capabilities = nil,
  on_attach = nil,
  -- Register the nvim-dap adapter and configurations when nvim-dap is installed.
  dap = true,
}

M.config = vim.deepcopy(M.defaults)

local function has(version)
  return vim.fn.has('nvim-' .. version) == 1
end

local function notify(msg, level)
  vim.notify('vclide: ' .. msg, level or vim.log.levels.INFO)
end

local function is_windows()
  return vim.fn.has('win32') == 1
end

--- The folders `go install` writes to: $GOBIN, then each $(go env GOPATH)/bin.
--- Editors started from a desktop launcher often lack them on PATH.
function M.go_bin_dirs()
  local gobin, gopath = os.getenv('GOBIN'), os.getenv('GOPATH')
  if vim.fn.executable('go') == 1 then
    local out = vim.fn.systemlist({ 'go', 'env', 'GOBIN', 'GOPATH' })
    if vim.v.shell_error == 0 and #out >= 2 then
      gobin, gopath = out[1], out[2]
    end
  end
  if gopath == nil or gopath == '' then
    gopath = (os.getenv('HOME') or os.getenv('USERPROFILE') or '') .. '/go'
  end
  local dirs = {}
  if gobin ~= nil and gobin ~= '' then
    table.insert(dirs, gobin)
  end
  for dir in gopath:gmatch(is_windows() and '[^;]+' or '[^:]+') do
    table.insert(dirs, dir .. '/bin')
  end
  return dirs
end

--- The absolute path of the vclide binary, or nil: the configured `path` when
--- it is a path; otherwise that command on PATH, then in the Go bin folders.
function M.resolve_path()
  local name = M.config.path
  if name == nil or name == '' then
    name = 'vclide'
  end
  if name:find('[/\\]') or name:sub(1, 1) == '~' then
    if name == '~' or name:sub(1, 2) == '~/' then
      name = (os.getenv('HOME') or vim.fn.expand('~')) .. name:sub(2)
    end
    local full = vim.fn.fnamemodify(name, ':p')
    if vim.fn.executable(full) == 1 then
      return full
    end
    return nil
  end
  local on_path = vim.fn.exepath(name)
  if on_path ~= '' then
    return on_path
  end
  for _, dir in ipairs(M.go_bin_dirs()) do
    for _, candidate in ipairs({ dir .. '/' .. name, dir .. '/' .. name .. '.exe' }) do
      if vim.fn.executable(candidate) == 1 and vim.fn.isdirectory(candidate) == 0 then
        return candidate
      end
    end
  end
  return nil
end

-- The binary the LSP and DAP commands run: the resolved path once setup()
-- found it, else the configured name.
local function binary()
  return M.resolved or M.config.path
end

--- The command line that starts the language server.
function M.cmd()
  local cmd = { binary(), 'lsp' }
  if M.config.log_level then
    table.insert(cmd, '--log-level')
    table.insert(cmd, M.config.log_level)
  end
  return cmd
end

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

local function dirname(path)
  return vim.fn.fnamemodify(path, ':h')
end

--- The root folder for a file: the nearest ancestor holding a root marker, or
--- the file's own folder.
function M.find_root(fname)
  if fname == nil or fname == '' then
    return uv.cwd()
  end
  local start = dirname(vim.fn.fnamemodify(fname, ':p'))
  local dir = start
  while true do
    for _, marker in ipairs(M.config.root_markers) do
      if exists(dir .. '/' .. marker) then
        return dir
      end
    end
    local parent = dirname(dir)
    if parent == dir then
      return start
    end
    dir = parent
  end
end

local function init_options()
  return { includePaths = M.config.include_paths, logLevel = M.config.log_level }
end

local function settings()
  local s = vim.tbl_deep_extend('force', {}, M.config.settings or {})
  s.vclide = vim.tbl_deep_extend('force', { includePaths = M.config.include_paths }, s.vclide or {})
  return s
end

local function on_attach(client, bufnr)
  if not has('0.8') then
    -- 0.8+ sets the LSP omnifunc by itself.
    vim.api.nvim_buf_set_option(bufnr, 'omnifunc', 'v:lua.vim.lsp.omnifunc')
  end
  if M.config.on_attach then
    M.config.on_attach(client, bufnr)
  end
end

--- The message shown when the binary cannot be found.
function M.missing_message()
  return ('executable "%s" not found (looked at the configured path, then PATH, then $(go env GOPATH)/bin). '
    .. 'Install it from a clone of the vclide repository with `%s`, '
    .. 'or pass its full path: require("vclide").setup({ path = "/path/to/vclide" })'):format(M.config.path, M.install_command)
end

local function check_executable()
  M.resolved = M.resolve_path()
  if M.resolved ~= nil then
    return true
  end
  notify(M.missing_message(), vim.log.levels.ERROR)
  return false
end

local function client_config(root_dir)
  return {
    name = 'vclide',
    cmd = M.cmd(),
    root_dir = root_dir,
    init_options = init_options(),
    settings = settings(),
    capabilities = M.config.capabilities,
    on_attach = on_attach,
  }
end

-- Neovim 0.11+: declarative configuration.
local function setup_lsp_config()
  vim.lsp.config('vclide', {
    cmd = M.cmd(),
    filetypes = M.config.filetypes,
    root_markers = M.config.root_markers,
    init_options = init_options(),
    settings = settings(),
    capabilities = M.config.capabilities,
    on_attach = on_attach,
  })
  vim.lsp.enable('vclide')
end

-- Neovim 0.8-0.10: vim.lsp.start reuses a running client with the same name and root.
local function start_08(bufnr)
  local root = M.find_root(vim.api.nvim_buf_get_name(bufnr))
  vim.lsp.start(client_config(root), { bufnr = bufnr })
end

-- Neovim 0.7: one client per root folder, attached to each buffer by hand.
local clients_07 = {}
local function start_07(bufnr)
  local root = M.find_root(vim.api.nvim_buf_get_name(bufnr))
  local id = clients_07[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil or vim.lsp.client_is_stopped(id) then
    local cfg = client_config(root)
    cfg.on_exit = function()
      clients_07[root] = nil
    end
    id = vim.lsp.start_client(cfg)
    if id == nil then
      notify('could not start ' .. table.concat(M.cmd(), ' '), vim.log.levels.ERROR)
      return
    end
    clients_07[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

local augroup

local function setup_autocmd(start)
  augroup = vim.api.nvim_create_augroup('vclide', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = augroup,
    pattern = M.config.filetypes,
    callback = function(args)
      if vim.bo[args.buf].buftype == '' then
        start(args.buf)
      end
    end,
  })
  -- Buffers that were already open when setup() ran.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.config.filetypes, vim.bo[bufnr].filetype) then
      start(bufnr)
    end
  end
end

--- The nvim-dap launch configurations, the same as the VS Code extension's.
function M.dap_configurations()
  local function ask(prompt, default, completion)
    return function()
      local answer = vim.fn.input(prompt, default, completion)
      return answer ~= '' and answer or default
    end
  end
  local include = M.config.include_paths
  return {
    {
      type = 'vcl',
      request = 'launch',
      name = 'Debug a request',
      program = '${file}',
      includePaths = include,
      requests = { { method = 'GET', url = '/', headers = vim.empty_dict() } },
      stopOnEntry = false,
    },
    {
      type = 'vcl',
      request = 'launch',
      name = 'Debug a scenario',
      program = '${file}',
      includePaths = include,
      scenario = ask('Scenario file: ', 'scenario.yaml', 'file'),
    },
    {
      type = 'vcl',
      request = 'launch',
      name = 'Debug live requests',
      program = '${file}',
      includePaths = include,
      mode = 'serve',
      listen = '127.0.0.1:8080',
      origin = ask('Origin URL: ', 'http://127.0.0.1:3000'),
    },
    {
      -- The unit tests (*.test.vcl, falco's format) of the VCL file, or of
      -- the VCL a test file tests when started from one.
      type = 'vcl',
      request = 'launch',
      name = 'Debug VCL tests',
      program = '${file}',
      includePaths = include,
      mode = 'test',
    },
  }
end

--- The test subroutine at or above row (1-based) of lines, or nil.
function M.nearest_test(lines, row)
  for i = math.min(row, #lines), 1, -1 do
    local name = lines[i]:match('^%s*sub%s+([%w_]+)')
    if name then
      return name
    end
  end
  return nil
end

--- The nvim-dap configuration that debugs one test file (or one test of it).
function M.test_dap_config(file, name)
  local cfg = {
    type = 'vcl',
    request = 'launch',
    name = name and ('Debug VCL test ' .. name) or 'Debug VCL tests',
    program = file,
    includePaths = M.config.include_paths,
    mode = 'test',
    tests = file,
  }
  if name then
    cfg.filter = name
  end
  return cfg
end

local function summary_line(s)
  return ('%d passed, %d failed, %d skipped, %d total, %d assertions'):format(
    s.passes or 0, s.fails or 0, s.skips or 0, s.total or 0, s.assertions or 0)
end

--- Quickfix items for the failed suites of a `vclide test` report.
function M.test_failures(report)
  local items = {}
  for _, f in ipairs(report.tests or {}) do
    for _, s in ipairs(f.suites or {}) do
      if not s.skip and s.error ~= nil and s.error ~= '' then
        table.insert(items, { filename = s.file, lnum = s.line, col = s.position, text = s.name .. ': ' .. s.error, type = 'E' })
      end
    end
  end
  return items
end

--- Runs the tests of a test buffer through the language server
--- (workspace/executeCommand vclide.runTest); name runs only that test.
--- Failures go to the quickfix list; the summary line is echoed.
function M.run_tests(bufnr, name)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local args = { uri = vim.uri_from_bufnr(bufnr) }
  if name then
    args.name = name
  end
  local params = { command = 'vclide.runTest', arguments = { args } }
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local clients = get({ bufnr = bufnr, name = 'vclide' })
  if #clients == 0 then
    notify('the vclide language server is not attached to this buffer', vim.log.levels.WARN)
    return false
  end
  vim.lsp.buf_request(bufnr, 'workspace/executeCommand', params, function(err, result)
    if err then
      notify('tests: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    local items = M.test_failures(result or {})
    vim.fn.setqflist({}, ' ', { title = 'vclide test', items = items })
    local level = #items > 0 and vim.log.levels.WARN or vim.log.levels.INFO
    notify(summary_line((result or {}).summaries or {}), level)
  end)
  return true
end

local function define_commands()
  vim.api.nvim_create_user_command('VclideTest', function()
    M.run_tests(0)
  end, { desc = 'vclide: run the unit tests of this test file' })
  vim.api.nvim_create_user_command('VclideTestNearest', function()
    local row = vim.api.nvim_win_get_cursor(0)[1]
    local name = M.nearest_test(vim.api.nvim_buf_get_lines(0, 0, row, false), row)
    if not name then
      notify('no test subroutine at or above the cursor', vim.log.levels.WARN)
      return
    end
    M.run_tests(0, name)
  end, { desc = 'vclide: run the unit test under the cursor' })
  -- The "debug test" code lens: the server leaves it to the client.
  if vim.lsp.commands then
    vim.lsp.commands['vclide.debugTest'] = function(command)
      local a = (command.arguments or {})[1] or {}
      local ok, dap = pcall(require, 'dap')
      if not ok then
        notify('debugging a test needs nvim-dap', vim.log.levels.WARN)
        return
      end
      local cfg = M.test_dap_config(vim.uri_to_fname(a.uri), a.name)
      if a.program then
        cfg.program = a.program
      end
      dap.run(cfg)
    end
  end
end

--- Registers the `vcl` adapter and configurations with nvim-dap. Returns false
--- when nvim-dap is not installed. Call it again after loading nvim-dap lazily.
function M.setup_dap()
  local ok, dap = pcall(require, 'dap')
  if not ok then
    return false
  end
  dap.adapters.vcl = {
    type = 'executable',
    command = binary(),
    args = { 'dap' },
  }
  dap.configurations.vcl = M.dap_configurations()
  return true
end

--- Sets vclide up. Every option is optional; see M.defaults.
function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  M.resolved = nil
  if opts and opts.include_paths then
    M.config.include_paths = opts.include_paths -- lists are replaced, not merged
  end
  if opts and opts.root_markers then
    M.config.root_markers = opts.root_markers
  end

  local found = check_executable()
  if M.config.dap then
    M.setup_dap()
  end
  define_commands()
  if not found then
    return false
  end

  if has('0.11') and vim.lsp.config and vim.lsp.enable then
    setup_lsp_config()
  elseif has('0.8') and vim.lsp.start then
    setup_autocmd(start_08)
  else
    setup_autocmd(start_07)
  end
  return true
end

return M
