package pcre

// nodeKind says what a parsed pattern element is.
type nodeKind uint8

const (
	nEmpty   nodeKind = iota // matches the empty string
	nLit                     // one literal character (r)
	nDot                     // "." (dotall says whether it matches \n)
	nClass                   // a bracketed character class (cls)
	nEsc                     // a shorthand class escape such as \d or \R (esc)
	nProp                    // \p{name} or \P{name} (name, neg)
	nAssert                  // ^ $ \A \z \Z \G \b \B \K (esc; multiline for ^ and $)
	nGroup                   // a parenthesised group (group, subs[0] is the body)
	nConcat                  // a sequence (subs)
	nAlt                     // alternatives (subs)
	nRepeat                  // a quantified item (subs[0], min, max, lazy, poss)
	nBackref                 // a backreference (index once resolved, or name)
	nRecurse                 // a recursion or subroutine call (index or name)
	nVerb                    // a backtracking control verb such as (*FAIL) (name)
	nCallout                 // a callout (?C…)
	nFlags                   // an option setting such as (?i) (caseless)
	nCond                    // a conditional group (cond, subs[0] is the body)
)

// groupKind distinguishes the kinds of parenthesised group.
type groupKind uint8

const (
	gCapture groupKind = iota
	gNonCapture
	gAtomic
	gLookahead
	gNegLookahead
	gLookbehind
	gNegLookbehind
	gNonAtomicLookahead
	gNonAtomicLookbehind
	gBranchReset
	gScriptRun
	gAtomicScriptRun
)

// isLookbehind reports whether the group is a look-behind assertion.
func (g groupKind) isLookbehind() bool {
	return g == gLookbehind || g == gNegLookbehind || g == gNonAtomicLookbehind
}

// isLookaround reports whether the group is an assertion.
func (g groupKind) isLookaround() bool {
	return g.isLookbehind() || g == gLookahead || g == gNegLookahead || g == gNonAtomicLookahead
}

// condKind distinguishes what a conditional group tests.
type condKind uint8

const (
	cNumber    condKind = iota // (?(1)…) or (?(<name>)…), resolved to index
	cRecursion                 // (?(R)…), (?(R1)…), (?(R&name)…)
	cDefine                    // (?(DEFINE)…)
	cVersion                   // (?(VERSION>=10.0)…)
	cAssert                    // (?(?=…)…): assert holds the assertion group
)

// node is one element of a parsed pattern.
type node struct {
	kind     nodeKind
	pos, end int // byte span in the pattern

	r    rune   // nLit
	esc  byte   // nEsc and nAssert: the escape letter, or '^' / '$'
	neg  bool   // nProp: \P or \p{^…}
	name string // nProp, nBackref/nRecurse by name, nVerb, conditional name

	multiline bool // nAssert '^' and '$'
	dotall    bool // nDot
	caseless  bool // nFlags: the case-insensitivity in force after it; nGroup: inside it

	group groupKind // nGroup
	index int       // nGroup capture number; nBackref/nRecurse/nCond group number

	min, max   int // nRepeat; max < 0 means unbounded
	lazy, poss bool

	cond     condKind // nCond
	condNode *node    // nCond with cAssert

	dup bool // nBackref: the name is shared by several groups

	cls  *charClass
	subs []*node
}

// classItemKind says what one member of a character class is.
type classItemKind uint8

const (
	ciRange classItemKind = iota // lo..hi (a single character has lo == hi)
	ciEsc                        // a shorthand escape such as \d (esc)
	ciPosix                      // [:name:] or [:^name:] (name, neg)
	ciProp                       // \p{…} or \P{…} (name, neg)
)

// classItem is one member of a character class.
type classItem struct {
	kind   classItemKind
	lo, hi rune
	esc    byte
	name   string
	neg    bool
}

// charClass is a parsed bracketed class.
type charClass struct {
	neg   bool
	items []classItem
}
