TC = "Apache Tomcat 10.1.60 (Debian bookworm libtomcat10-java 10.1.60-1~deb12u1, OpenJDK 17)"
CAP = "captured live on 127.0.0.1 with curl -sS -i --raw; "
NOW = ("now", "2026-12-01T23:28:00Z")
ERV = ("source", "apache/tomcat java/org/apache/catalina/valves/ErrorReportValve.java report (the stock error page: <p><b>Message</b> ...</p>; no reason phrase since Tomcat 8.5)")
SE = ("source", "https://jakarta.ee/specifications/servlet/6.0/apidocs/jakarta.servlet/jakarta/servlet/http/httpservletresponse#sendError(int,java.lang.String)")
write("tomcat-503-senderror-maintenance-retry-after", [("product", TC),
  ("source", CAP + "a JSP in the application: response.setHeader(\"Retry-After\", \"3600\"); response.sendError(503, \"The site is down for maintenance until 02:00 UTC\");"), SE, ERV,
  ("situation", "the application's own maintenance switch: sendError(503, message) with Retry-After; Tomcat wraps the message in its stock error page"),
  ("want", "maintenance"), ("strength", "implied"), ("path", "/maint.jsp"), NOW], [("", "tomcat-maint")])
write("tomcat-503-senderror-maintenance", [("product", TC),
  ("source", CAP + "a JSP in the application: response.sendError(503, \"The site is down for maintenance\");"), SE, ERV,
  ("situation", "the application's own maintenance switch without Retry-After: the message on Tomcat's stock page says it"),
  ("want", "maintenance"), ("strength", "implied"), ("path", "/maintnora.jsp"), NOW], [("", "tomcat-maintnora")])
write("tomcat-503-senderror-bare", [("product", TC),
  ("source", CAP + "a JSP in the application: response.sendError(503);"), SE, ERV,
  ("situation", "the application refuses with a bare 503: Tomcat's stock page with the stock description"),
  ("want", "malfunction"), ("path", "/busy.jsp"), NOW], [("", "tomcat-busy")])
write("tomcat-500-exception", [("product", TC),
  ("source", CAP + "a JSP that throws IllegalStateException(\"database connection lost\"); the probe path gets Tomcat's stock 404"), ERV,
  ("situation", "an unhandled exception: Tomcat's stock 500 page with the exception report"),
  ("want", "malfunction"),
  ("notes", "the JSESSIONID and the stack trace are as captured."),
  ("path", "/boom.jsp"), NOW], [("", "tomcat-500"), ("/down-for-maintenance", "tomcat-404")])
