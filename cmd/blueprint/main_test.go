package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		err := crashChild(dir)
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(3)
	}
	os.Exit(m.Run())
}

// syncBuffer is a bytes.Buffer safe for the node's logger and the test to share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// envWith returns a getenv that sees only vars: tests must not pick up the
// developer's BLUEPRINT_* settings.
func envWith(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// MustRunCLI runs one command to completion and returns its stdout.
func MustRunCLI(t *testing.T, vars map[string]string, args ...string) string {
	t.Helper()
	out, err := runCLI(t, vars, args...)
	if err != nil {
		t.Fatalf("blueprint %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func runCLI(t *testing.T, vars map[string]string, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr syncBuffer
	err := run(t.Context(), args, envWith(vars), strings.NewReader(""), &stdout, &stderr)
	return stdout.String() + stderr.String(), err
}

// runCLIBoth runs one command and returns its stdout and stderr apart.
func runCLIBoth(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut syncBuffer
	err = run(t.Context(), args, envWith(vars), strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

// node is a running `blueprint serve` inside the test process.
type node struct {
	URL  string
	Logs *syncBuffer
	stop func() error
}

// MustStartNode runs `blueprint serve` on a free loopback port with the given
// extra arguments and waits until it listens. The node stops at the end of the
// test, and the test fails if it does not stop cleanly.
func MustStartNode(t *testing.T, vars map[string]string, args ...string) *node {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan error, 1)
	all := append([]string{"serve", "--listen", "127.0.0.1:0", "--log-format", "json", "--seal-interval", "50ms"}, args...)
	go func() { done <- run(ctx, all, envWith(vars), strings.NewReader(""), io.Discard, logs) }()

	deadline := time.Now().Add(10 * time.Second)
	var addr string
	for addr == "" {
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve exited before listening: %v\n%s", err, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not listen within 10 s:\n%s", logs.String())
		}
		addr = listenAddr(logs.String())
		time.Sleep(10 * time.Millisecond)
	}
	var once sync.Once
	var stopErr error
	n := &node{URL: "http://" + addr, Logs: logs, stop: func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-done:
			case <-time.After(20 * time.Second):
				stopErr = context.DeadlineExceeded
			}
		})
		return stopErr
	}}
	t.Cleanup(func() {
		if err := n.stop(); err != nil {
			t.Errorf("serve did not stop cleanly: %v\n%s", err, logs.String())
		}
	})
	return n
}

// listenAddr finds the address in the JSON "listening" log line.
func listenAddr(logs string) string {
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		var line struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
			return line.Addr
		}
	}
	return ""
}

func MustGet(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}
