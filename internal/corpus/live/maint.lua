local r = lighty.r
local docroot = r.req_attr["physical.doc-root"]
if lighty.c.stat(docroot .. "/maintenance.flag") then
  r.resp_header["Content-Type"] = "text/html"
  r.resp_body:set({ { filename = docroot .. "/maintenance.html" } })
  return 503
end
