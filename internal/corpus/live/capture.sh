#!/bin/sh
# Recaptures the live-*.http cases of internal/corpus (see its package doc,
# "Captured live"). Run as root on Debian bookworm, with this directory's
# files laid out under /tmp/live-lab as the configs name them:
#   /tmp/live-lab/{nginx/nginx.conf,apache/httpd.conf,haproxy/haproxy.cfg,
#   haproxy/maintenance.http,varnish/default.vcl,squid/*.conf,
#   lighttpd/{lighttpd.conf,maint.lua},caddy/Caddyfile,php-fpm.conf,
#   www/{maint,amaint,lmaint,cmaint}/maintenance.html (+ maint/maintenance.flag.html,
#   lmaint/maintenance.flag), www/{spa,aspa}/index.html, www/php/*.php,
#   www/probe/down-for-maintenance, django/site/{app.py,rawapp.py,templates/},
#   tomcat (makebase.sh, then server.xml, web.xml, webapps/ROOT/*.jsp, lib/ecj.jar)}.
# Packages: nginx apache2 haproxy varnish squid lighttpd lighttpd-mod-magnet
# caddy php-fpm python3-django python3-django-maintenance-mode gunicorn
# tomcat10-common libtomcat10-java default-jre-headless libecj-java
# (installed with a policy-rc.d that exits 101, so that no service starts
# on its default port). Every server listens on 127.0.0.1 only.
set -e
cd /tmp/live-lab
mkdir -p raw run logs
python3 backends.py & echo $! > run/backends.pid # 19996 ok, 19997 garbage, 19998 hangs; 19999 is closed
nginx -c /tmp/live-lab/nginx/nginx.conf -p /tmp/live-lab/nginx/
php-fpm8.2 -y /tmp/live-lab/php-fpm.conf
apache2 -f /tmp/live-lab/apache/httpd.conf -k start
haproxy -D -f haproxy/haproxy.cfg
varnishd -a 127.0.0.1:18381 -a 127.0.0.1:18382 -f /tmp/live-lab/varnish/default.vcl -n /tmp/live-lab/varnish/work -P run/varnish.pid -s malloc,16m
lighttpd -f lighttpd/lighttpd.conf
HOME=/tmp/live-lab/caddy caddy run --config caddy/Caddyfile --adapter caddyfile & echo $! > run/caddy.pid
(cd django/site && LIVE_MAINT=0 gunicorn -D -p /tmp/live-lab/run/gunicorn-off.pid -b 127.0.0.1:18781 -w 1 app:application)
(cd django/site && LIVE_MAINT=1 gunicorn -D -p /tmp/live-lab/run/gunicorn-on.pid -b 127.0.0.1:18782 -w 1 app:application)
(cd django/site && gunicorn -D -p /tmp/live-lab/run/gunicorn-raw.pid -b 127.0.0.1:18783 -w 1 rawapp:application)
CATALINA_HOME=/usr/share/tomcat10 CATALINA_BASE=/tmp/live-lab/tomcat CATALINA_PID=run/tomcat.pid /usr/share/tomcat10/bin/catalina.sh start
sleep 10
. ./cap.sh
# nginx (and php-fpm behind it)
cap nginx-502-refused http://127.0.0.1:18081/api/orders
cap nginx-504-timeout http://127.0.0.1:18082/api/orders
cap nginx-502-garbage http://127.0.0.1:18083/api/orders
cap nginx-maint-503 http://127.0.0.1:18084/api/orders
cap nginx-maint-503-json http://127.0.0.1:18084/api/orders -H 'Accept: application/json'
cap nginx-maint-probe404 http://127.0.0.1:18084/down-for-maintenance
cap nginx-maint-ra-503 http://127.0.0.1:18085/api/orders
cap nginx-spa-502 http://127.0.0.1:18086/api/orders
cap nginx-spa-probe http://127.0.0.1:18086/down-for-maintenance
cap nginx-spa-other http://127.0.0.1:18086/a4f1e2c9-no-such-path
cap nginx-limit-ok http://127.0.0.1:18087/; cap nginx-limit-503 http://127.0.0.1:18087/
cap nginx-limit-ok2 http://127.0.0.1:18088/; cap nginx-limit-429 http://127.0.0.1:18088/
cap nginx-probe-502 http://127.0.0.1:18089/api/orders
cap nginx-probe-file http://127.0.0.1:18089/down-for-maintenance
cap nginx-errorpage-502 http://127.0.0.1:18091/api/orders
cap nginx-errorpage-probe http://127.0.0.1:18091/down-for-maintenance
cap nginx-php-404 http://127.0.0.1:18090/nope.php
cap nginx-php-500 http://127.0.0.1:18090/fatal.php
# Apache
cap apache-503-refused http://127.0.0.1:18181/api/orders
cap apache-504-timeout http://127.0.0.1:18182/api/orders
cap apache-502-garbage http://127.0.0.1:18183/api/orders
cap apache-maint http://127.0.0.1:18184/api/orders
cap apache-maint-probe http://127.0.0.1:18184/down-for-maintenance
cap apache-maint-ra http://127.0.0.1:18185/api/orders
cap apache-spa-503 http://127.0.0.1:18186/api/orders
cap apache-spa-probe http://127.0.0.1:18186/down-for-maintenance
cap apache-spa-other http://127.0.0.1:18186/a4f1e2c9-no-such-path
cap apache-errdoc-dead http://127.0.0.1:18188/api/orders
cap apache-404 http://127.0.0.1:18187/down-for-maintenance
# HAProxy
cap haproxy-503-dead http://127.0.0.1:18281/api/orders
cap haproxy-503-refused http://127.0.0.1:18288/api/orders
cap haproxy-504 http://127.0.0.1:18282/api/orders
cap haproxy-502 http://127.0.0.1:18283/api/orders
cap haproxy-maint http://127.0.0.1:18284/api/orders
cap haproxy-maintfile http://127.0.0.1:18285/api/orders
cap haproxy-maintreturn http://127.0.0.1:18286/api/orders -H 'Accept: application/json'
cap haproxy-rl1 http://127.0.0.1:18287/; cap haproxy-rl2 http://127.0.0.1:18287/; cap haproxy-429 http://127.0.0.1:18287/
# Varnish
cap varnish-503-refused http://127.0.0.1:18381/api/orders
cap varnish-503-timeout http://127.0.0.1:18381/slow/api/orders
cap varnish-503-garbage http://127.0.0.1:18381/garbage/api/orders
cap varnish-synth-maint http://127.0.0.1:18381/maint/api/orders
cap varnish-synth-maintpage http://127.0.0.1:18382/maint/api/orders
# Squid (squid-dead.conf alone for the refused origin: peers on one host share state)
squid -f squid/squid.conf; sleep 3
cap squid-slow http://127.0.0.1:18482/api/orders
cap squid-garbage http://127.0.0.1:18483/api/orders
squid -f squid/squid.conf -k shutdown; sleep 3
squid -f squid/squid-dead.conf; sleep 3
cap squid-dead http://127.0.0.1:18481/api/orders
# lighttpd
cap lighttpd-dead http://127.0.0.1:18582/api/orders
cap lighttpd-slow http://127.0.0.1:18583/api/orders
cap lighttpd-maint http://127.0.0.1:18585/api/orders
cap lighttpd-maint-probe http://127.0.0.1:18585/down-for-maintenance
cap lighttpd-spa-502 http://127.0.0.1:18586/api/orders
cap lighttpd-spa-probe http://127.0.0.1:18586/down-for-maintenance
cap lighttpd-spa-other http://127.0.0.1:18586/a4f1e2c9-no-such-path
# Caddy
cap caddy-dead http://127.0.0.1:18681/api/orders
cap caddy-slow http://127.0.0.1:18682/api/orders
cap caddy-maint http://127.0.0.1:18684/api/orders
cap caddy-maint-probe http://127.0.0.1:18684/down-for-maintenance
cap caddy-respond http://127.0.0.1:18685/api/orders
cap caddy-spa-502 http://127.0.0.1:18686/api/orders
cap caddy-spa-probe http://127.0.0.1:18686/down-for-maintenance
cap caddy-spa-other http://127.0.0.1:18686/a4f1e2c9-no-such-path
# Django, gunicorn
cap django-500 http://127.0.0.1:18781/api/boom
cap django-404 http://127.0.0.1:18781/down-for-maintenance
cap django-maint http://127.0.0.1:18782/api/orders
cap django-maint-json http://127.0.0.1:18782/api/orders -H 'Accept: application/json'
cap django-maint-probe http://127.0.0.1:18782/down-for-maintenance
cap gunicorn-500 http://127.0.0.1:18783/api/orders
# Tomcat
cap tomcat-maint http://127.0.0.1:18881/maint.jsp
cap tomcat-maintnora http://127.0.0.1:18881/maintnora.jsp
cap tomcat-busy http://127.0.0.1:18881/busy.jsp
cap tomcat-500 http://127.0.0.1:18881/boom.jsp
cap tomcat-404 http://127.0.0.1:18881/down-for-maintenance
# PHP's own switches (through nginx and Apache), nginx's JSON switch
cap nginx-json-maint http://127.0.0.1:18092/api/orders -H 'Accept: application/json'
cap php-maint http://127.0.0.1:18090/maint.php
cap php-maint-reason http://127.0.0.1:18090/maint-reason.php
cap apache-php-maint-reason http://127.0.0.1:18187/maint-reason.php
# php-fpm stopped, last
kill "$(cat run/php-fpm.pid)"; sleep 1
cap nginx-php-502-stopped http://127.0.0.1:18090/index.php
cap apache-php-503 http://127.0.0.1:18187/index.php
# Write the cases (each meta file names its raw captures and the header lines).
for m in meta/*.py; do python3 gen.py "$m"; done
# End to end: downfor check against the running servers (live-check.sh
# prints the class wanted, then downfor's line).
