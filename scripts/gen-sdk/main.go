// gen-sdk writes the Python and Go SDKs of the native `grants` package from plugin/schema.json,
// with the code generators of github.com/pulumi/pulumi/pkg/v3 that `pulumi package gen-sdk`
// runs inside the pulumi-language-python / pulumi-language-go hosts. Those hosts are not
// buildable here (they left the published sdk module), so this program calls the generators
// directly, at the same pkg version as the CLI.
//
// One deliberate step sits between the schema and the generators: the resource token
// grants:index:Provider (an OIDC issuer) would be generated as class `Provider` in the root
// module, where every Pulumi SDK already has its package provider class `Provider`
// (pulumi:providers:grants). The schema binder therefore refuses it ("provider is a reserved word
// for the root module"). The SDKs name that resource `Issuer` instead: it is generated from the
// token grants:index:Issuer, and afterwards every quoted occurrence of that token in the output
// is set back to grants:index:Provider, so programs in every language register the same type
// as YAML programs, `pulumi import` and the state. Nothing else is changed.
//
// Usage: gen-sdk <schema.json> <out-dir>   (writes <out-dir>/python and <out-dir>/go)
package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	pygen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"golang.org/x/mod/modfile"
)

const (
	tool        = "pulumi-grants gen-sdk"
	issuerToken = "grants:index:Provider"
	sdkToken    = "grants:index:Issuer"
	// The Go SDK requires the Pulumi Go SDK at the version of the CLI and @pulumi/pulumi.
	pulumiSDKVersion = "v3.276.0"
)

// Each SDK's README says how it was made and how to use it; it is written with the SDK, so that
// regenerating replaces the directory whole.
var (
	//go:embed README.python.md
	pythonReadme []byte
	//go:embed README.go.md
	goReadme []byte
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gen-sdk <schema.json> <out-dir>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintf(os.Stderr, "gen-sdk: %v\n", err)
		os.Exit(1)
	}
}

func run(schemaPath, outDir string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	python, err := generate(raw, func(pkg *schema.Package) (map[string][]byte, error) {
		return pygen.GeneratePackage(tool, pkg, nil, nil)
	})
	if err != nil {
		return fmt.Errorf("python: %w", err)
	}
	golang, err := generate(raw, func(pkg *schema.Package) (map[string][]byte, error) {
		files, err := gogen.GeneratePackage(tool, pkg, nil)
		if err != nil {
			return nil, err
		}
		return files, pinPulumiSDK(files)
	})
	if err != nil {
		return fmt.Errorf("go: %w", err)
	}
	python["README.md"] = pythonReadme
	golang["README.md"] = goReadme
	if err := write(filepath.Join(outDir, "python"), python); err != nil {
		return err
	}
	return write(filepath.Join(outDir, "go"), golang)
}

// generate binds a fresh copy of the schema (the generators import language options into the
// bound package, so each language gets its own), runs one generator and restores the token.
func generate(raw []byte, gen func(*schema.Package) (map[string][]byte, error)) (map[string][]byte, error) {
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, err
	}
	issuer, ok := spec.Resources[issuerToken]
	if !ok {
		return nil, fmt.Errorf("the schema has no resource %s", issuerToken)
	}
	delete(spec.Resources, issuerToken)
	spec.Resources[sdkToken] = issuer
	// A go.mod beside the Go package, so the SDK builds as a module of its own.
	spec.Meta = &schema.MetadataSpec{SupportPack: true}

	pkg, diags, err := schema.BindSpec(spec, schema.NewNullLoader(), schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, diags
	}
	files, err := gen(pkg)
	if err != nil {
		return nil, err
	}
	restored := 0
	for name, content := range files {
		text := string(content)
		for _, quote := range []string{`"`, `'`} {
			from, to := quote+sdkToken+quote, quote+issuerToken+quote
			restored += strings.Count(text, from)
			text = strings.ReplaceAll(text, from, to)
		}
		files[name] = []byte(text)
	}
	if restored == 0 {
		return nil, fmt.Errorf("the generated code never names %s, so the type token was not restored", sdkToken)
	}
	return files, nil
}

// pinPulumiSDK sets the generated go.mod's requirement on the Pulumi Go SDK to the version this
// repository uses (the generator writes the version it was released with).
func pinPulumiSDK(files map[string][]byte) error {
	gomod, err := modfile.Parse("go.mod", files["go.mod"], nil)
	if err != nil {
		return err
	}
	if err := gomod.AddRequire("github.com/pulumi/pulumi/sdk/v3", pulumiSDKVersion); err != nil {
		return err
	}
	gomod.Cleanup()
	formatted, err := gomod.Format()
	if err != nil {
		return err
	}
	files["go.mod"] = formatted
	return nil
}

// write replaces dir with exactly the generated files.
func write(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		target := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}
