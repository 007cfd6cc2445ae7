package testserver_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/downfor/downfor/testserver"
)

// A test starts the server in a mode, points the code under test at
// s.URL, and counts the requests it sent.
func Example() {
	s, err := testserver.New("django")
	if err != nil {
		panic(err)
	}
	defer s.Close()

	resp, err := s.Client().Get(s.URL + "/api/orders")
	if err != nil {
		panic(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	fmt.Println(resp.StatusCode, resp.Header.Get("Retry-After"))
	fmt.Println(len(s.Requests()), s.Requests()[0].Path)
	// Output:
	// 503 3600
	// 1 /api/orders
}

// The control API switches the mode of a running server, here through the
// in-memory transport, which needs no socket.
func ExampleServer_InMemoryTransport() {
	s, err := testserver.StartInMemory(testserver.Config{Mode: "notify", Token: "secret"})
	if err != nil {
		panic(err)
	}
	defer s.Close()
	c := &http.Client{Transport: s.InMemoryTransport()}

	show := func() {
		resp, err := c.Get("http://service.test/v2/notifications")
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, strings.TrimSpace(string(body)))
	}
	show()

	req, _ := http.NewRequest(http.MethodPost, "http://service.test/_downfor/mode?"+url.Values{"name": {"ok"}}.Encode(), nil)
	req.Header.Set("Authorization", "Bearer secret")
	resp, err := c.Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, s.Mode())
	// Output:
	// 503 {"status_code":503,"errors":[{"error":"PlannedMaintenanceError","message":"We are carrying out planned maintenance. Please try again later."}]}
	// 200 ok
}

func ExampleParseTimeline() {
	steps, err := testserver.ParseTimeline("ok 2s, retry-after-seconds 5s, ok")
	if err != nil {
		panic(err)
	}
	for _, st := range steps {
		fmt.Printf("%s for %v\n", st.Mode, st.For)
	}
	fmt.Println(steps.String())
	// Output:
	// ok for 2s
	// retry-after-seconds for 5s
	// ok for 0s
	// ok:2s,retry-after-seconds:5s,ok
}

func ExampleModes() {
	for _, m := range testserver.Modes()[:4] {
		line := m.Name + ": " + m.Class
		if m.Confidence != "" {
			line += " (" + m.Confidence + ")"
		}
		fmt.Println(line)
	}
	// Output:
	// ok: ok
	// retry-after-seconds: maintenance (implied)
	// retry-after-date: maintenance (implied)
	// django: maintenance (implied)
}
