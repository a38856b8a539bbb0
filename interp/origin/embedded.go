package origin

import "github.com/vclide/vclide/interp"

// Embedded is the origin used when nothing else is configured (see
// interp.EmbeddedOrigin, which the engine also uses by default).
type Embedded = interp.EmbeddedOrigin

// EmbeddedMaxAge is the Cache-Control max-age of Embedded responses.
const EmbeddedMaxAge = interp.EmbeddedMaxAge
