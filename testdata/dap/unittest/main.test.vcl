// @scope: recv
// @suite: recv passes
sub test_recv {
  testing.call_subroutine("vcl_recv"); # @mark:call
  assert.equal(req.http.Seen, "yes");
  assert.state(pass);
}

// @scope: recv
// @suite: recv fails on purpose
sub test_fails {
  testing.call_subroutine("vcl_recv");
  assert.equal(req.http.Added, "2"); # @mark:assert
}
