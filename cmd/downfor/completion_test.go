package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/testserver"
)

func completionScript(t *testing.T, shell string) string {
	t.Helper()
	code, out, errOut := cli(t, "completion", shell)
	require.Equal(t, exitOK, code, errOut)
	require.Empty(t, errOut)
	return out
}

// Every command of the top-level help is listed, with the flags its own
// --help shows.
func TestCollectVerbs(t *testing.T) {
	verbs, err := collectVerbs(t.Context())
	require.NoError(t, err)
	var names []string
	for _, v := range verbs {
		names = append(names, v.name)
		assert.NotEmpty(t, v.summary, v.name)
		_, help, _ := cli(t, v.name, "--help")
		for _, f := range v.flags {
			assert.Contains(t, help, "--"+f.name, "%s --help shows --%s", v.name, f.name)
		}
	}
	assert.Equal(t, []string{"check", "wait", "run", "serve", "demo", "completion"}, names)
	byName := map[string]verbSpec{}
	for _, v := range verbs {
		byName[v.name] = v
	}
	assert.GreaterOrEqual(t, len(byName["run"].flags), 20)
	assert.Empty(t, byName["completion"].flags, "completion has only --help")
	for _, f := range byName["check"].flags {
		switch f.name {
		case "json", "insecure", "strict", "html":
			assert.Empty(t, f.value, f.name)
		case "header", "component", "rule":
			assert.True(t, f.repeatable, f.name)
		case "timeout":
			assert.Equal(t, "DURATION", f.value)
		case "cacert":
			assert.True(t, f.takesFile())
		case "probe-path":
			assert.False(t, f.takesFile(), "a URL path, not a file")
		}
	}
}

// Each script mentions every flag of every command, and the shell accepts
// its syntax.
func TestCompletionScripts(t *testing.T) {
	verbs, err := collectVerbs(t.Context())
	require.NoError(t, err)
	for _, shell := range completionShells {
		t.Run(shell, func(t *testing.T) {
			script := completionScript(t, shell)
			for _, v := range verbs {
				assert.Contains(t, script, v.name)
				for _, f := range v.flags {
					want := "--" + f.name
					if shell == "fish" {
						want = "-l " + f.name + " "
					}
					assert.Contains(t, script, want, "%s: %s's flag --%s", shell, v.name, f.name)
				}
			}
			for _, mode := range testserver.ModeNames() {
				assert.Contains(t, script, mode, "serve --mode completes the mode names")
			}
			path, err := exec.LookPath(shell)
			if err != nil {
				t.Skipf("%s is not installed: syntax not checked", shell)
			}
			file := filepath.Join(t.TempDir(), "downfor."+shell)
			require.NoError(t, os.WriteFile(file, []byte(script), 0o600))
			out, err := exec.CommandContext(t.Context(), path, "-n", file).CombinedOutput()
			assert.NoError(t, err, "%s -n: %s", shell, out)
		})
	}
}

// The bash script completes as a user would see it.
func TestCompletionBashCompletes(t *testing.T) {
	script := completionScript(t, "bash")
	tests := []struct {
		words []string // the command line, the word being completed last
		want  []string
		not   []string
	}{
		{[]string{"downfor", ""}, []string{"check", "wait", "run", "serve", "demo", "completion"}, nil},
		{[]string{"downfor", "ch"}, []string{"check"}, []string{"wait"}},
		{[]string{"downfor", "check", "--js"}, []string{"--json"}, nil},
		{[]string{"downfor", "run", "--quiet"}, []string{"--quiet-success"}, nil},
		{[]string{"downfor", "run", "--pi"}, []string{"--ping"}, nil},
		{[]string{"downfor", "serve", "--mode", "retry-after-s"}, []string{"retry-after-seconds"}, []string{"django"}},
		{[]string{"downfor", "completion", "z"}, []string{"zsh"}, nil},
		{[]string{"downfor", "help", "se"}, []string{"serve"}, nil},
		{[]string{"downfor", "check", "--timeout", ""}, nil, []string{"--json"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.words, " "), func(t *testing.T) {
			var quoted []string
			for _, w := range tt.words {
				quoted = append(quoted, shellQuote(w))
			}
			prog := script + "\nCOMP_WORDS=(" + strings.Join(quoted, " ") + ")\nCOMP_CWORD=" +
				strconv.Itoa(len(tt.words)-1) + "\n_downfor\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
			out := runBash(t.Context(), t, prog)
			got := strings.Fields(out)
			for _, w := range tt.want {
				assert.Contains(t, got, w)
			}
			for _, n := range tt.not {
				assert.NotContains(t, got, n)
			}
		})
	}
}

func runBash(ctx context.Context, t *testing.T, prog string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, "bash", "--norc", "--noprofile", "-c", prog)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	require.NoError(t, cmd.Run(), errb.String())
	return out.String()
}

func TestCompletionHelpAndErrors(t *testing.T) {
	for _, args := range [][]string{{"completion", "--help"}, {"help", "completion"}} {
		code, out, _ := cli(t, args...)
		assert.Equal(t, exitOK, code)
		assert.Contains(t, out, "Usage: downfor completion bash|zsh|fish")
		assert.Contains(t, out, "source <(downfor completion bash)")
	}
	code, out, _ := cli(t, "--help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "downfor completion bash|zsh|fish")

	for _, args := range [][]string{{"completion"}, {"completion", "tcsh"}, {"completion", "bash", "zsh"}} {
		code, out, errOut := cli(t, args...)
		assert.Equal(t, exitUsage, code, args)
		assert.Empty(t, out)
		assert.Contains(t, errOut, "want one shell: bash, zsh or fish")
	}
}

func TestShortHelpAndQuoting(t *testing.T) {
	assert.Equal(t, "bound on one check", shortHelp("bound on one check (env DOWNFOR_TIMEOUT)"))
	assert.Equal(t, "request HEADER 'Name: value'", shortHelp("request HEADER 'Name: value'; sent to the origin"))
	assert.Equal(t, 72, len([]rune(shortHelp(strings.Repeat("x", 100)))))
	assert.Equal(t, `'it'\''s'`, shellQuote("it's"))
	assert.Equal(t, `'it\'s \\'`, fishQuote(`it's \`))
	assert.Equal(t, `a\:b \[c\] \\`, zshEscape(`a:b [c] \`))
}

// The fish script completes as a user would see it (when fish is there).
func TestCompletionFishCompletes(t *testing.T) {
	fish, err := exec.LookPath("fish")
	if err != nil {
		t.Skip("fish is not installed")
	}
	file := filepath.Join(t.TempDir(), "downfor.fish")
	require.NoError(t, os.WriteFile(file, []byte(completionScript(t, "fish")), 0o600))
	out, err := exec.CommandContext(t.Context(), fish, "--no-config", "-c",
		"source "+file+`; complete -C "downfor check --js"; complete -C "downfor serve --mode retry-after-s"; complete -C "downfor co"`).CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "--json\tprint one JSON object instead of a line")
	assert.Contains(t, string(out), "retry-after-seconds")
	assert.Contains(t, string(out), "completion\tprint a shell completion script")
}

// The zsh script completes as a user would see it (when zsh is there): a
// zsh in a pseudo-terminal (zsh/zpty) types a word and a Tab.
func TestCompletionZshCompletes(t *testing.T) {
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		t.Skip("zsh is not installed")
	}
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "_downfor"), []byte(completionScript(t, "zsh")), 0o600))
	for typed, want := range map[string]string{
		"downfor check --js":                 "downfor check --json",
		"downfor serve --mode retry-after-s": "retry-after-seconds",
		"downfor compl":                      "downfor completion",
	} {
		t.Run(typed, func(t *testing.T) {
			script := `zmodload zsh/zpty
zpty -b z 'zsh -f -i'
zpty -w z 'PROMPT=">"; fpath=(` + dir + ` $fpath); autoload -U compinit; compinit -u -D; downfor() { :; }'
zpty -w -n z ` + shellQuote(typed) + `$'\t'
out=""
for i in {1..100}; do
  zpty -r -t z chunk && out+=$chunk
  [[ $out == *` + shellQuote(want) + `* ]] && break
  sleep 0.1
done
zpty -d z
print -r -- "$out"
`
			out, err := exec.CommandContext(t.Context(), zsh, "-f", "-c", script).CombinedOutput()
			require.NoError(t, err, "%s", out)
			assert.Contains(t, string(out), want)
		})
	}
}
