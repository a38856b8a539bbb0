// Package schema is the shape of catalog_data.json, shared by the
// generator that writes it and the catalog package that embeds and reads it.
package schema

// Param is a function parameter in catalog_data.json.
type Param struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Optional bool   `json:"optional,omitempty"`
	Variadic bool   `json:"variadic,omitempty"`
}

// Signature is one overload in catalog_data.json.
type Signature struct {
	Params []Param `json:"params"`
	Return string  `json:"return"`
}

// Variable is a variable in catalog_data.json.
type Variable struct {
	Name        string   `json:"name"`
	Type        string   `json:"type"`
	Read        []string `json:"read"`
	Set         []string `json:"set"`
	Unset       []string `json:"unset"`
	Description string   `json:"description"`
	Link        string   `json:"link"`
	Category    string   `json:"category"`
	Pattern     bool     `json:"pattern,omitempty"`
	Deprecated  bool     `json:"deprecated,omitempty"`
	// SeenIn names the Fastly code that uses an undocumented variable
	// found in neither source table.
	SeenIn string `json:"seen_in,omitempty"`
}

// Function is a function in catalog_data.json.
type Function struct {
	Name        string      `json:"name"`
	Overloads   []Signature `json:"overloads"`
	Subs        []string    `json:"subs"`
	Description string      `json:"description"`
	Link        string      `json:"link"`
	Category    string      `json:"category"`
	Deprecated  bool        `json:"deprecated,omitempty"`
}

// Sub is a built-in subroutine in catalog_data.json.
type Sub struct {
	Name          string   `json:"name"`
	Node          string   `json:"node"`
	DefaultReturn string   `json:"default_return"`
	Returns       []string `json:"returns"`
	Undocumented  []string `json:"undocumented,omitempty"`
	Description   string   `json:"description"`
	Link          string   `json:"link"`
}

// is the whole of catalog_data.json.
type Catalog struct {
	Variables   []Variable `json:"variables"`
	Functions   []Function `json:"functions"`
	Subroutines []Sub      `json:"subroutines"`
	Headers     []string   `json:"headers"`
}
