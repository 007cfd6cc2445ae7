//go:build ignore

// Command surface prints the exported surface of downfor's public packages:
// exported types, funcs, methods, consts, vars and struct fields (non-test
// files only; methods and fields count only on exported types), and the line
// count of `go doc -all`. Run it with scripts/surface.sh.
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

type count struct{ types, funcs, methods, consts, vars, fields, doc int }

func (c count) names() int { return c.types + c.funcs + c.methods + c.consts + c.vars + c.fields }

func main() {
	pkgs := os.Args[1:]
	if len(pkgs) == 0 {
		pkgs = []string{"classify", "probe", "client", "testserver", "announce"}
	}
	fmt.Printf("%-11s %5s %5s %7s %6s %4s %6s %5s %8s\n", "package", "types", "funcs", "methods", "consts", "vars", "fields", "names", "doc-all")
	var total count
	for _, p := range pkgs {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		c, err := measure(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		total.types += c.types
		total.funcs += c.funcs
		total.methods += c.methods
		total.consts += c.consts
		total.vars += c.vars
		total.fields += c.fields
		total.doc += c.doc
		row(p, c)
	}
	row("total", total)
}

func row(name string, c count) {
	fmt.Printf("%-11s %5d %5d %7d %6d %4d %6d %5d %8d\n", name, c.types, c.funcs, c.methods, c.consts, c.vars, c.fields, c.names(), c.doc)
}

func measure(dir string) (count, error) {
	var c count
	fset := token.NewFileSet()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var parsed []*ast.File
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			return c, err
		}
		if af.Name.Name == "main" {
			continue
		}
		parsed = append(parsed, af)
	}
	for _, af := range parsed {
		for _, d := range af.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				if d.Recv == nil {
					c.funcs++
				} else if ast.IsExported(recvName(d.Recv.List[0].Type)) {
					c.methods++
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if !s.Name.IsExported() {
							continue
						}
						c.types++
						if st, ok := s.Type.(*ast.StructType); ok {
							c.fields += exportedFields(st)
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if !n.IsExported() {
								continue
							}
							if d.Tok == token.CONST {
								c.consts++
							} else {
								c.vars++
							}
						}
					}
				}
			}
		}
	}
	out, err := exec.Command("go", "doc", "-all", "./"+dir).Output()
	if err != nil {
		return c, fmt.Errorf("go doc -all ./%s: %v", dir, err)
	}
	c.doc = strings.Count(string(out), "\n")
	return c, nil
}

func recvName(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}

func exportedFields(st *ast.StructType) int {
	n := 0
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 { // embedded
			if ast.IsExported(recvName(f.Type)) || isSelectorExported(f.Type) {
				n++
			}
			continue
		}
		for _, name := range f.Names {
			if name.IsExported() {
				n++
			}
		}
	}
	return n
}

func isSelectorExported(e ast.Expr) bool {
	if s, ok := e.(*ast.StarExpr); ok {
		e = s.X
	}
	sel, ok := e.(*ast.SelectorExpr)
	return ok && sel.Sel.IsExported()
}
