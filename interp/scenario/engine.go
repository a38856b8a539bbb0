package scenario

import (
	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/interp"
)

// The interpreter's engine is what Run drives.
var _ Engine = (*interp.Engine)(nil)

// Engine builds the interpreter for the scenario from a loaded program (see
// Program and Config).
func (s *Scenario) Engine(prog *analysis.Program, o Options) (*interp.Engine, error) {
	cfg, err := s.Config(prog, o)
	if err != nil {
		return nil, err
	}
	return interp.New(cfg)
}
