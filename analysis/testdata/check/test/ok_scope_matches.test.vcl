// @scope: fetch
sub test_fetch {
  testing.call_subroutine("vcl_fetch");
  assert.equal(beresp.ttl, 1s);
}
