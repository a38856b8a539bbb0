# Unit test of fixture.vcl for the "Debug VCL tests" configuration
# (test/dap_spec.lua).

// @scope: fetch
// @suite: vcl_fetch marks the response
sub test_fetch_marks {
  testing.call_subroutine("vcl_fetch");
  assert.equal(beresp.http.X-Marked, "yes");
}
