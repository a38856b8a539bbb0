package main

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/vclide/vclide/analysis/catalog/internal/schema"
)

// encode writes one record per line so that diffs stay readable.
func encode(o *schema.Catalog) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n")
	fmt.Fprintf(&b, "%q: %q,\n", "generated", schema.GeneratedHeader)
	section := func(name string, n int, item func(i int) any, last bool) error {
		fmt.Fprintf(&b, "%q: [\n", name)
		for i := 0; i < n; i++ {
			j, err := json.Marshal(item(i))
			if err != nil {
				return err
			}
			b.Write(j)
			if i < n-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString("]")
		if !last {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
		return nil
	}
	if err := section("variables", len(o.Variables), func(i int) any { return o.Variables[i] }, false); err != nil {
		return nil, err
	}
	if err := section("functions", len(o.Functions), func(i int) any { return o.Functions[i] }, false); err != nil {
		return nil, err
	}
	if err := section("subroutines", len(o.Subroutines), func(i int) any { return o.Subroutines[i] }, false); err != nil {
		return nil, err
	}
	if err := section("headers", len(o.Headers), func(i int) any { return o.Headers[i] }, true); err != nil {
		return nil, err
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}
