package corpus_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/downfor/downfor/internal/corpus"
)

// A case file: the header lines, the service's response, and a second part
// served at the well-known probe path.
const exampleFile = `# product: nginx in front of a stopped app
# source: nginx/nginx src/http/ngx_http_special_response.c ngx_http_error_502_page
# situation: the app is stopped; the probe file says why
# want: maintenance
HTTP/1.1 502 Bad Gateway
Server: nginx
Content-Type: text/html

<html><body><h1>502 Bad Gateway</h1></body></html>
=== /down-for-maintenance
HTTP/1.1 200 OK
Content-Type: application/json

{"message": "Database migration"}
`

func ExampleParse() {
	c, err := corpus.Parse("nginx-stopped", []byte(exampleFile))
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Name, c.Want, c.OutOfBand())
	fmt.Println(c.Parts[0].Status, c.Parts[1].Path)
	// Output:
	// nginx-stopped maintenance true
	// 502 /down-for-maintenance
}

func ExampleCase_Handler() {
	c, err := corpus.Parse("nginx-stopped", []byte(exampleFile))
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(c.Handler())
	defer srv.Close()
	for _, path := range []string{"/", "/down-for-maintenance", "/elsewhere"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%s %d %d bytes\n", path, resp.StatusCode, len(body))
	}
	// Output:
	// / 502 51 bytes
	// /down-for-maintenance 200 34 bytes
	// /elsewhere 404 19 bytes
}
