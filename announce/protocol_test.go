package announce_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProtocolDocument keeps docs/protocol.md in step with the tests: every
// rule it states is named ("protocol P3") by at least one test in the
// module, every test a rule cites exists, and every rule a test names is
// in the document.
func TestProtocolDocument(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "protocol.md"))
	require.NoError(t, err)

	ruleRE := regexp.MustCompile(`(?m)^\*\*([PC]\d+)\. `)
	var rules []string
	for _, m := range ruleRE.FindAllSubmatch(doc, -1) {
		rules = append(rules, string(m[1]))
	}
	require.NotEmpty(t, rules)
	for i, id := range rules {
		for _, other := range rules[:i] {
			assert.NotEqual(t, other, id, "rule %s stated twice", id)
		}
	}

	// What the module's tests name and define.
	named := map[string]bool{}
	defined := map[string]bool{}
	nameRE := regexp.MustCompile(`protocol ((?:[PC]\d+)(?:, [PC]\d+)*)`)
	funcRE := regexp.MustCompile(`(?m)^func (Test\w+|Example\w*|Fuzz\w+)\(`)
	err = filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range nameRE.FindAllSubmatch(src, -1) {
			for id := range strings.SplitSeq(string(m[1]), ", ") {
				named[id] = true
			}
		}
		for _, m := range funcRE.FindAllSubmatch(src, -1) {
			defined[string(m[1])] = true
		}
		return nil
	})
	require.NoError(t, err)

	for _, id := range rules {
		assert.True(t, named[id], "rule %s of docs/protocol.md is named by no test (\"protocol %s\")", id, id)
	}
	stated := map[string]bool{}
	for _, id := range rules {
		stated[id] = true
	}
	for id := range named {
		assert.True(t, stated[id], "a test names protocol %s, which docs/protocol.md does not state", id)
	}

	// Every test a rule cites exists.
	citeRE := regexp.MustCompile("\\*Tests:\\*([^\n]*)")
	testRE := regexp.MustCompile("`(Test\\w+)`")
	cites := 0
	for _, line := range citeRE.FindAllSubmatch(doc, -1) {
		for _, m := range testRE.FindAllSubmatch(line[1], -1) {
			cites++
			assert.True(t, defined[string(m[1])], "docs/protocol.md cites %s, which no test file defines", m[1])
		}
	}
	assert.GreaterOrEqual(t, cites, len(rules))
}
