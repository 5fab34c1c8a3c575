// Command pulumi-language-nodejs: the Node.js language host that scripts/setup puts on PATH when
// it builds the Pulumi CLI itself.
//
// Why it exists: the engine (v3.276.0) starts a Node.js policy pack (`pulumi preview
// --policy-pack <dir>`) by asking the Node.js language host to RunPlugin it
// (pkg/resource/plugin/plugin.go, ExecPlugin: a directory is always run "via runtime"). The newest
// Node.js language host published as a Go module is the one in sdk/v3@v3.68.0, and its RunPlugin
// only answers "not supported" (sdk/nodejs/cmd/pulumi-language-nodejs/main.go); later hosts live
// in a module of their own that the Go module proxy does not serve. So this host starts that
// v3.68.0 host as a child, forwards every call to it unchanged (bytes in, bytes out), and answers
// RunPlugin for a policy pack itself, the way released hosts do: `node
// @pulumi/pulumi/cmd/run-policy-pack` from the pack's own node_modules, its output streamed back.
//
// A released Pulumi CLI ships a host that does this already; setup uses it as it is.
//
// Usage (by the engine): pulumi-language-nodejs [flags] <engine-address>
// The child host is PULUMI_GRANTS_NODEJS_HOST, or `pulumi-language-nodejs-v3.68.0` beside this
// executable on PATH.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"
)

const (
	serviceName    = "pulumirpc.LanguageRuntime"
	childHostName  = "pulumi-language-nodejs-v3.68.0"
	runPolicyPack  = "@pulumi/pulumi/cmd/run-policy-pack"
	maxMessageSize = 400 * 1024 * 1024 // the engine's own limit for plugin messages
)

// frame is one gRPC message as bytes, so the proxy needs no knowledge of the method it forwards.
type frame struct{ data []byte }

// rawCodec passes frames through unchanged and (un)marshals the messages RunPlugin reads and
// writes. Its name is "proto" so that the content type on the wire stays the one peers expect.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) {
	if f, ok := v.(*frame); ok {
		return f.data, nil
	}
	return proto.Marshal(v.(proto.Message))
}

func (rawCodec) Unmarshal(data []byte, v any) error {
	if f, ok := v.(*frame); ok {
		f.data = append([]byte(nil), data...)
		return nil
	}
	return proto.Unmarshal(data, v.(proto.Message))
}

func (rawCodec) Name() string { return "proto" }

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	childPath, err := childHost()
	if err != nil {
		return err
	}
	child := exec.Command(childPath, args...)
	child.Stderr = os.Stderr
	childOut, err := child.StdoutPipe()
	if err != nil {
		return err
	}
	if err := child.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", childPath, err)
	}
	defer func() { _ = child.Process.Kill() }()

	// The child prints its port on the first line, like every plugin; the rest goes to our stdout.
	reader := bufio.NewReader(childOut)
	portLine, err := reader.ReadString('\n')
	if err != nil {
		return fmt.Errorf("reading the port of %s: %w", childPath, err)
	}
	go func() { _, _ = io.Copy(os.Stdout, reader) }()

	conn, err := grpc.NewClient("127.0.0.1:"+strings.TrimSpace(portLine),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(
			grpc.ForceCodec(rawCodec{}),
			grpc.MaxCallRecvMsgSize(maxMessageSize),
			grpc.MaxCallSendMsgSize(maxMessageSize),
		))
	if err != nil {
		return err
	}
	defer conn.Close()

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	p := &proxy{conn: conn}
	server := grpc.NewServer(
		grpc.ForceServerCodec(rawCodec{}),
		grpc.MaxRecvMsgSize(maxMessageSize),
		grpc.MaxSendMsgSize(maxMessageSize),
		// Every method but RunPlugin reaches the child unchanged.
		grpc.UnknownServiceHandler(p.forward),
	)
	server.RegisterService(&grpc.ServiceDesc{
		ServiceName: serviceName,
		HandlerType: (*any)(nil),
		Streams: []grpc.StreamDesc{
			{StreamName: "RunPlugin", Handler: p.runPlugin, ServerStreams: true},
		},
	}, p)

	fmt.Printf("%d\n", listener.Addr().(*net.TCPAddr).Port)

	// The engine ends a plugin by killing it; the child goes with us when it exits first.
	done := make(chan error, 2)
	go func() { done <- server.Serve(listener) }()
	go func() { done <- child.Wait() }()
	return <-done
}

// childHost is the v3.68.0 host that does all the work but RunPlugin.
func childHost() (string, error) {
	if path := os.Getenv("PULUMI_GRANTS_NODEJS_HOST"); path != "" {
		return path, nil
	}
	if exe, err := os.Executable(); err == nil {
		beside := filepath.Join(filepath.Dir(exe), childHostName)
		if _, err := os.Stat(beside); err == nil {
			return beside, nil
		}
	}
	path, err := exec.LookPath(childHostName)
	if err != nil {
		return "", fmt.Errorf("no %s beside this host or on PATH (run scripts/setup): %w", childHostName, err)
	}
	return path, nil
}

type proxy struct{ conn *grpc.ClientConn }

// forward relays one call of any kind (unary or streaming) to the child, frame by frame.
func (p *proxy) forward(_ any, stream grpc.ServerStream) error {
	method, ok := grpc.MethodFromServerStream(stream)
	if !ok {
		return errors.New("no method in the incoming call")
	}
	return p.relay(stream, method, nil)
}

// relay sends `first` (a message already read from the caller) and then the rest of the
// caller's messages to the child, and the child's answers back.
func (p *proxy) relay(stream grpc.ServerStream, method string, first *frame) error {
	md, _ := metadata.FromIncomingContext(stream.Context())
	ctx, cancel := context.WithCancel(metadata.NewOutgoingContext(stream.Context(), md.Copy()))
	defer cancel()
	out, err := p.conn.NewStream(ctx, &grpc.StreamDesc{ClientStreams: true, ServerStreams: true}, method)
	if err != nil {
		return err
	}
	go func() {
		if first != nil {
			if err := out.SendMsg(first); err != nil {
				return
			}
		}
		for {
			f := &frame{}
			if err := stream.RecvMsg(f); err != nil {
				_ = out.CloseSend()
				return
			}
			if err := out.SendMsg(f); err != nil {
				return
			}
		}
	}()
	sentHeader := false
	for {
		f := &frame{}
		err := out.RecvMsg(f)
		if !sentHeader {
			if header, herr := out.Header(); herr == nil {
				_ = stream.SendHeader(header)
			}
			sentHeader = true
		}
		if err != nil {
			stream.SetTrailer(out.Trailer())
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if err := stream.SendMsg(f); err != nil {
			return err
		}
	}
}

// runPlugin runs a policy pack (kind "analyzer"); any other plugin kind goes to the child.
func (p *proxy) runPlugin(_ any, stream grpc.ServerStream) error {
	req := &pulumirpc.RunPluginRequest{}
	if err := stream.RecvMsg(req); err != nil {
		return err
	}
	if req.GetKind() != "analyzer" {
		data, err := proto.Marshal(req)
		if err != nil {
			return err
		}
		return p.relay(stream, "/"+serviceName+"/RunPlugin", &frame{data: data})
	}

	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetProgram()
	}
	send := func(resp *pulumirpc.RunPluginResponse) error { return stream.SendMsg(resp) }
	entry := findModule(dir, runPolicyPack)
	if entry == "" {
		// The engine recognises this message and tells the user to install the pack's dependencies.
		msg := fmt.Sprintf("Error: Cannot find module '%s' from %s\n", runPolicyPack, dir)
		if err := send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: []byte(msg)}}); err != nil {
			return err
		}
		return send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: 1}})
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on the $PATH: %w", err)
	}

	// run-policy-pack takes the engine address (first of the engine's args, flags aside) and the
	// pack's directory; it prints the analyzer's port, which the engine reads from our stdout.
	args := append([]string{entry}, req.GetArgs()...)
	args = append(args, dir)
	cmd := exec.CommandContext(stream.Context(), node, args...)
	cmd.Dir = dir
	cmd.Env = req.GetEnv()
	if len(cmd.Env) == 0 {
		cmd.Env = os.Environ()
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}

	var mu sync.Mutex
	var wg sync.WaitGroup
	pump := func(r io.Reader, wrap func([]byte) *pulumirpc.RunPluginResponse) {
		defer wg.Done()
		buf := make([]byte, 32*1024)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				mu.Lock()
				_ = send(wrap(append([]byte(nil), buf[:n]...)))
				mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}
	wg.Add(2)
	go pump(stdout, func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}}
	})
	go pump(stderr, func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}}
	})
	wg.Wait()
	code := 0
	if err := cmd.Wait(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return err
		}
		code = exitErr.ExitCode()
	}
	return send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)}})
}

// findModule resolves a package path the way Node does from dir: node_modules of dir and of
// each parent directory.
func findModule(dir, module string) string {
	for current := dir; ; current = filepath.Dir(current) {
		candidate := filepath.Join(current, "node_modules", filepath.FromSlash(module))
		if _, err := os.Stat(filepath.Join(candidate, "index.js")); err == nil {
			return candidate
		}
		if parent := filepath.Dir(current); parent == current {
			return ""
		}
	}
}
