package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/downfor/downfor/testserver"
)

const completionUsage = `Usage: downfor completion bash|zsh|fish

Print a script that completes downfor's commands, flags and some of their
values (serve --mode NAME, files) in that shell. It is generated from the
same flag definitions as the commands' --help, so it always matches this
downfor.

  bash: add to ~/.bashrc           source <(downfor completion bash)
        or, system-wide:           downfor completion bash > /etc/bash_completion.d/downfor
  zsh:  in a directory of $fpath:  downfor completion zsh > "${fpath[1]}/_downfor"
        (then restart zsh; compinit must be loaded)
  fish:                            downfor completion fish > ~/.config/fish/completions/downfor.fish
`

// completionShells are the shells "downfor completion" writes for.
var completionShells = []string{"bash", "zsh", "fish"}

func completionCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := newCommand("completion", completionUsage, stdout, stderr)
	pos, code, done := cmd.parse(args, true)
	if done {
		return code
	}
	if len(pos) != 1 || !slices.Contains(completionShells, pos[0]) {
		return cmd.fail(usagef("want one shell: bash, zsh or fish"))
	}
	verbs, err := collectVerbs(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "downfor completion: %v\n", err)
		return exitSoftware
	}
	var b strings.Builder
	switch pos[0] {
	case "bash":
		writeBash(&b, verbs)
	case "zsh":
		writeZsh(&b, verbs)
	case "fish":
		writeFish(&b, verbs)
	}
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		return exitSoftware
	}
	return exitOK
}

// verbSpec is one command as completion sees it.
type verbSpec struct {
	name    string
	summary string
	flags   []flagSpec
	args    string // what its positional arguments are: "url", "command", "shell" or ""
}

// flagSpec is one flag of a command.
type flagSpec struct {
	name       string
	help       string   // short
	value      string   // the value's name ("DURATION", "FILE"); "" for a boolean flag
	repeatable bool     // may be given more than once
	choices    []string // the values it takes, when they are few and known
}

// takesFile reports whether the flag's value is a file's path (not a
// URL's, as --probe-path PATH).
func (f flagSpec) takesFile() bool {
	return strings.Contains(f.value, "FILE") || strings.HasSuffix(f.value, ".PROM")
}

// verbLine is a command's line in topUsage: "  downfor NAME ...  summary".
var verbLine = regexp.MustCompile(`(?m)^  downfor (\w+)[ \t].*[ \t]{2,}(\S.*)$`)

// flagSink receives the flag set of a command when its help is printed
// to it: printUsage hands it over instead of printing.
type flagSink struct {
	name string
	fs   *flag.FlagSet
}

func (s *flagSink) Write(p []byte) (int, error) { return len(p), nil }

func (s *flagSink) collect(name string, fs *flag.FlagSet) { s.name, s.fs = name, fs }

// flagCollector is what printUsage looks for in its writer.
type flagCollector interface {
	collect(name string, fs *flag.FlagSet)
}

// collectVerbs lists the commands of topUsage and, for each, the flags
// its --help shows, by asking each for its help with a flagSink.
func collectVerbs(ctx context.Context) ([]verbSpec, error) {
	var verbs []verbSpec
	for _, m := range verbLine.FindAllStringSubmatch(topUsage, -1) {
		v := verbSpec{name: m[1], summary: m[2]}
		sink := &flagSink{}
		run(ctx, []string{v.name, "--help"}, strings.NewReader(""), sink, io.Discard)
		if sink.fs == nil {
			return nil, fmt.Errorf("cannot list the flags of %q (is the environment's DOWNFOR_* valid?)", v.name)
		}
		sink.fs.VisitAll(func(f *flag.Flag) { v.flags = append(v.flags, describeFlag(v.name, f)) })
		switch v.name {
		case "check", "wait":
			v.args = "url"
		case "run":
			v.args = "command"
		case "completion":
			v.args = "shell"
		}
		verbs = append(verbs, v)
	}
	if len(verbs) == 0 {
		return nil, errors.New("no command found in the usage text")
	}
	return verbs, nil
}

func describeFlag(verb string, f *flag.Flag) flagSpec {
	value, help := flag.UnquoteUsage(f)
	if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
		value = ""
	} else if value == "" || value == "value" {
		value = "VALUE"
	}
	spec := flagSpec{name: f.Name, help: shortHelp(help), value: strings.ToUpper(value)}
	_, spec.repeatable = f.Value.(*listFlag)
	if verb == "serve" && f.Name == "mode" {
		spec.choices = testserver.ModeNames()
	}
	return spec
}

// shortHelp is the first clause of a flag's help, for a completion menu.
func shortHelp(s string) string {
	for _, sep := range []string{"; ", " (", ", such as"} {
		if i := strings.Index(s, sep); i > 0 {
			s = s[:i]
		}
	}
	if r := []rune(s); len(r) > 72 {
		s = string(r[:71]) + "…"
	}
	return strings.TrimSpace(s)
}

func writeBash(w io.Writer, verbs []verbSpec) {
	var names []string
	for _, v := range verbs {
		names = append(names, v.name)
	}
	fmt.Fprintf(w, `# bash completion for downfor. Generated by "downfor completion bash":
#   source <(downfor completion bash)
_downfor() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    if (( COMP_CWORD == 1 )); then
        COMPREPLY=($(compgen -W %s -- "$cur"))
        return
    fi
    local verb=${COMP_WORDS[1]} i
    for (( i = 2; i < COMP_CWORD; i++ )); do
        if [[ ${COMP_WORDS[i]} == -- ]]; then
            # The job's own command line.
            if (( i == COMP_CWORD - 1 )); then
                COMPREPLY=($(compgen -c -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi
            return
        fi
    done
    local flags= valued= files= args=
    case $verb in
`, shellQuote(strings.Join(append(names, "help", "version"), " ")))
	for _, v := range verbs {
		var flags, valued, files []string
		for _, f := range v.flags {
			flags = append(flags, "--"+f.name)
			if f.value != "" {
				valued = append(valued, "--"+f.name)
			}
			if f.takesFile() {
				files = append(files, "--"+f.name)
			}
		}
		fmt.Fprintf(w, "    %s)\n        flags=%s\n        valued=%s\n        files=%s\n        args=%s\n",
			v.name, shellQuote(strings.Join(flags, " ")), shellQuote(strings.Join(valued, " ")),
			shellQuote(strings.Join(files, " ")), shellQuote(v.args))
		for _, f := range v.flags {
			if len(f.choices) > 0 {
				fmt.Fprintf(w, "        if [[ $prev == --%s ]]; then COMPREPLY=($(compgen -W %s -- \"$cur\")); return; fi\n",
					f.name, shellQuote(strings.Join(f.choices, " ")))
			}
		}
		fmt.Fprintln(w, "        ;;")
	}
	fmt.Fprintf(w, `    help)
        COMPREPLY=($(compgen -W %s -- "$cur"))
        return
        ;;
    *)
        return
        ;;
    esac
    if [[ " $files " == *" $prev "* ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
        return
    fi
    if [[ " $valued " == *" $prev "* ]]; then
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
        return
    fi
    case $args in
    shell) COMPREPLY=($(compgen -W %s -- "$cur")) ;;
    command) COMPREPLY=($(compgen -W "--" -- "$cur")) ;;
    esac
}
complete -o default -F _downfor downfor
`, shellQuote(strings.Join(names, " ")), shellQuote(strings.Join(completionShells, " ")))
}

func writeZsh(w io.Writer, verbs []verbSpec) {
	fmt.Fprintln(w, `#compdef downfor
# zsh completion for downfor. Generated by "downfor completion zsh": put it
# in a directory of $fpath as _downfor.
_downfor() {
    local -a verbs
    verbs=(`)
	for _, v := range verbs {
		fmt.Fprintf(w, "        %s\n", shellQuote(v.name+":"+zshEscape(v.summary)))
	}
	fmt.Fprintln(w, `        'help:the flags of one command'
        'version:print the version'
    )
    if (( CURRENT == 2 )); then
        _describe -t commands 'downfor command' verbs
        return
    fi
    local verb=$words[2]
    shift words
    (( CURRENT-- ))
    case $verb in`)
	for _, v := range verbs {
		var specs []string
		for _, f := range v.flags {
			spec := "--" + f.name
			if f.repeatable {
				spec = "*" + spec
			}
			if f.value == "" {
				spec += "[" + zshEscape(f.help) + "]"
			} else {
				action := " "
				switch {
				case len(f.choices) > 0:
					action = "(" + strings.Join(f.choices, " ") + ")"
				case f.takesFile():
					action = "_files"
				}
				spec += "=[" + zshEscape(f.help) + "]:" + zshEscape(strings.ToLower(f.value)) + ":" + action
			}
			specs = append(specs, shellQuote(spec))
		}
		switch v.args {
		case "url":
			specs = append(specs, "'1:service URL:_urls'")
		case "command":
			specs = append(specs, "'*::job command:_normal'")
		case "shell":
			specs = append(specs, shellQuote("1:shell:("+strings.Join(completionShells, " ")+")"))
		}
		fmt.Fprintf(w, "    %s)\n", v.name)
		if len(specs) > 0 {
			fmt.Fprintf(w, "        _arguments -s \\\n            %s\n", strings.Join(specs, " \\\n            "))
		}
		fmt.Fprintln(w, "        ;;")
	}
	var names []string
	for _, v := range verbs {
		names = append(names, v.name)
	}
	fmt.Fprintf(w, `    help)
        _arguments %s
        ;;
    esac
}
if [[ $funcstack[1] == _downfor ]]; then
    _downfor "$@"
else
    compdef _downfor downfor
fi
`, shellQuote("1:command:("+strings.Join(names, " ")+")"))
}

func writeFish(w io.Writer, verbs []verbSpec) {
	fmt.Fprintln(w, `# fish completion for downfor. Generated by "downfor completion fish":
#   downfor completion fish > ~/.config/fish/completions/downfor.fish
complete -c downfor -f`)
	var names []string
	for _, v := range verbs {
		names = append(names, v.name)
		fmt.Fprintf(w, "complete -c downfor -n __fish_use_subcommand -a %s -d %s\n", v.name, fishQuote(v.summary))
	}
	fmt.Fprintln(w, "complete -c downfor -n __fish_use_subcommand -a help -d 'the flags of one command'")
	fmt.Fprintln(w, "complete -c downfor -n __fish_use_subcommand -a version -d 'print the version'")
	fmt.Fprintf(w, "complete -c downfor -n '__fish_seen_subcommand_from help' -a %s\n", fishQuote(strings.Join(names, " ")))
	for _, v := range verbs {
		cond := fishQuote("__fish_seen_subcommand_from " + v.name)
		for _, f := range v.flags {
			line := fmt.Sprintf("complete -c downfor -n %s -l %s", cond, f.name)
			switch {
			case f.value == "":
			case len(f.choices) > 0:
				line += " -x -a " + fishQuote(strings.Join(f.choices, " "))
			case f.takesFile():
				line += " -r -F"
			default:
				line += " -x"
			}
			fmt.Fprintf(w, "%s -d %s\n", line, fishQuote(f.help))
		}
		switch v.args {
		case "shell":
			fmt.Fprintf(w, "complete -c downfor -n %s -a %s\n", cond, fishQuote(strings.Join(completionShells, " ")))
		case "command":
			fmt.Fprintf(w, "complete -c downfor -n %s -a '(__fish_complete_subcommand --fcs-skip=2)'\n", cond)
		}
	}
}

// shellQuote quotes s for sh, bash and zsh: in single quotes.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// zshEscape escapes what _arguments and _describe give a meaning to in a
// description: brackets, colons and backslashes.
func zshEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`[]:\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fishQuote quotes s for fish: in single quotes, where only \ and ' are
// escaped.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
