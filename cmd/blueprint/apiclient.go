package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// apiClient calls a node's API as the user whose API token is in
// BLUEPRINT_TOKEN — read from the environment, never from a flag, so it does
// not show in the process list.
type apiClient struct{ base, token string }

// newAPIClient is a client for the API under path of the node named by
// --node, else $BLUEPRINT_NODE, else http://127.0.0.1:8080.
func newAPIClient(e env, node, path string) (apiClient, error) {
	token := e.getenv("BLUEPRINT_TOKEN")
	if token == "" {
		return apiClient{}, fmt.Errorf("BLUEPRINT_TOKEN is not set: create an API token (blueprint token create, or POST /api/v1/tokens) and export it")
	}
	if node == "" {
		node = e.getenv("BLUEPRINT_NODE")
	}
	if node == "" {
		node = "http://127.0.0.1:8080"
	}
	base, err := url.Parse(strings.TrimRight(node, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return apiClient{}, fmt.Errorf("--node %q is not an http(s) URL", node)
	}
	return apiClient{base: base.String() + path, token: token}, nil
}

func (c apiClient) post(ctx context.Context, path string, body any) ([]byte, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	raw, _, err := c.send(ctx, "POST", path, "application/json", bytes.NewReader(b))
	return raw, err
}

func (c apiClient) get(ctx context.Context, path string) ([]byte, error) {
	raw, _, err := c.send(ctx, "GET", path, "", nil)
	return raw, err
}

// send makes one request and returns the body and headers of a 2xx answer,
// or the node's problem as an error.
func (c apiClient) send(ctx context.Context, method, path, contentType string, body io.Reader) ([]byte, http.Header, error) {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", method, c.base+path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode >= 300 {
		var p struct {
			Title  string `json:"title"`
			Detail string `json:"detail"`
		}
		if json.Unmarshal(raw, &p) == nil && p.Detail != "" {
			return nil, nil, fmt.Errorf("the node refused (%d %s): %s", resp.StatusCode, p.Title, p.Detail)
		}
		return nil, nil, fmt.Errorf("the node answered %s", resp.Status)
	}
	return raw, resp.Header, nil
}
