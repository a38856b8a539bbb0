// @scope: recv
sub test_fetch {
  testing.call_subroutine("vcl_fetch"); # ERROR test "vcl_fetch runs in fetch"
}
