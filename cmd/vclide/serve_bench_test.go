package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// originLatency is how long the benchmark's origin takes to answer, like
// a nearby real origin.
const originLatency = 2 * time.Millisecond

// BenchmarkServeThroughput measures `vclide serve` over loopback with 1, 8
// and 64 concurrent clients, on cache hits (one URL, already cached) and on
// misses (a new URL each time, fetched from an origin that answers in
// originLatency). Figures: req/s.
func BenchmarkServeThroughput(b *testing.B) {
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(originLatency)
		w.Header().Set("Cache-Control", "max-age=3600")
		io.WriteString(w, "origin says hello")
	}))
	defer origin.Close()
	vcl := filepath.Join(b.TempDir(), "main.vcl")
	if err := os.WriteFile(vcl, []byte(concurrencyVCL), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, kind := range []string{"hit", "miss"} {
		for _, clients := range []int{1, 8, 64} {
			b.Run(fmt.Sprintf("%s/clients=%d", kind, clients), func(b *testing.B) {
				base, stop := startServe(b, io.Discard, vcl, "--origin", origin.URL)
				defer stop()
				client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
				defer client.CloseIdleConnections()
				get := func(url string) error {
					resp, err := client.Get(url)
					if err != nil {
						return err
					}
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != 200 {
						err = fmt.Errorf("%s: status %d", url, resp.StatusCode)
					}
					return err
				}
				if err := get(base + "/hit"); err != nil { // warm the cache
					b.Fatal(err)
				}
				var next atomic.Int64
				var wg sync.WaitGroup
				errs := make(chan error, clients)
				b.ResetTimer()
				start := time.Now()
				for range clients {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							i := next.Add(1)
							if i > int64(b.N) {
								return
							}
							url := base + "/hit"
							if kind == "miss" {
								url = fmt.Sprintf("%s/miss/%d", base, i)
							}
							if err := get(url); err != nil {
								errs <- err
								return
							}
						}
					}()
				}
				wg.Wait()
				elapsed := time.Since(start)
				b.StopTimer()
				close(errs)
				if err := <-errs; err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
			})
		}
	}
}
