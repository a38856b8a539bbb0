-- *.vcl files are Fastly VCL.
if vim.filetype and vim.filetype.add and vim.fn.has('nvim-0.8') == 1 then
  vim.filetype.add({ extension = { vcl = 'vcl' } })
else
  -- Neovim 0.7 detects filetypes with filetype.vim, which runs this file inside
  -- its augroup, so a plain autocmd is enough.
  vim.cmd([[autocmd BufRead,BufNewFile *.vcl setfiletype vcl]])
end
