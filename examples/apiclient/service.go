package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// Service is a typed client for a small JSON API. It knows nothing of
// downfor: give it an *http.Client from client.Wrap and its calls wait
// out maintenance, or fail with a *client.Error that callers find with
// errors.As. Like http.Client, it is safe for concurrent use.
type Service struct {
	base *url.URL
	hc   *http.Client
}

// NewService returns a client for the API at base (such as
// "https://api.example.com/") that sends its requests with hc
// (http.DefaultClient if nil).
func NewService(base string, hc *http.Client) (*Service, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("base URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("base URL %q: want http or https", base)
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Service{base: u, hc: hc}, nil
}

// Status is the API's answer to GET /v1/status.
type Status struct {
	OK   bool      `json:"ok"`
	Time time.Time `json:"time"`
}

// Status asks the API how it is.
func (s *Service) Status(ctx context.Context) (*Status, error) {
	var st Status
	if err := s.get(ctx, "v1/status", &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// APIError is an error status the API answered with: the request reached
// a working service, which refused it.
type APIError struct {
	StatusCode int
	Body       []byte // the start of the body
}

func (e *APIError) Error() string {
	return fmt.Sprintf("status %d %s", e.StatusCode, http.StatusText(e.StatusCode))
}

// get decodes the JSON answer to GET base/path into v.
func (s *Service) get(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base.JoinPath(path).String(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := s.hc.Do(req)
	if err != nil {
		// Return the error as it is, or wrap it with %w: callers find the
		// *client.Error in it with errors.As.
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		return &APIError{StatusCode: resp.StatusCode, Body: body}
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("GET %s: %w", req.URL, err)
	}
	return nil
}
