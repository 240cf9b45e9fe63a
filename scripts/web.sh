# shellcheck shell=bash
# Sourced by run.sh and test.sh (after stores.sh): the web app's dependencies and build, and
# nginx serving it in front of the API from the operator's own template (docker/nginx.conf is
# the operator's rendering, kept equal to it by a test), with only the listen address, the
# API's address, the files' folder and the writable paths changed for this machine.

WEB_DIR=web
WEB_STAMPS=.cache/web

# ensure_node: the machine's Node.js, new enough for Vite 8 (20.19 or later).
ensure_node() {
    command -v node >/dev/null && command -v npm >/dev/null \
        || die "Node.js 20.19+ and npm are needed for the web app (this machine has none)"
    local version
    version=$(node -p 'process.versions.node')
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' \
        || die "Node.js $version is too old for the web app: 20.19 or later is needed"
}

# ensure_web_deps: `npm ci` when node_modules is missing or package-lock.json changed.
ensure_web_deps() {
    ensure_node
    mkdir -p "$WEB_STAMPS"
    local lock
    lock=$(sha256sum "$WEB_DIR/package-lock.json" | cut -d' ' -f1)
    if [ ! -d "$WEB_DIR/node_modules" ] || [ "$(cat "$WEB_STAMPS/deps" 2>/dev/null)" != "$lock" ]; then
        say "web: npm ci"
        (cd "$WEB_DIR" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
        echo "$lock" > "$WEB_STAMPS/deps"
    fi
}

# build_web: `vite build` into web/dist when the app's sources changed since the last build.
build_web() {
    ensure_web_deps
    local sources
    sources=$( (cd "$WEB_DIR" && find src public index.html package-lock.json vite.config.ts tsconfig.json -type f -print0 \
        | sort -z | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1)
    if [ ! -f "$WEB_DIR/dist/index.html" ] || [ "$(cat "$WEB_STAMPS/build" 2>/dev/null)" != "$sources" ]; then
        say "web: building the app"
        (cd "$WEB_DIR" && npm run --silent build) || die "the web app did not build"
        echo "$sources" > "$WEB_STAMPS/build"
    fi
}

# start_nginx DIR LISTEN_PORT API_ADDR: nginx serving web/dist on 127.0.0.1:LISTEN_PORT with
# /api passed to API_ADDR (host:port); its config, pid and temporary files in DIR. Sets
# NGINX_PID.
start_nginx() {
    local dir=$1 port=$2 api=$3 nginx
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || ensure_packages nginx
    nginx=$(command -v nginx || echo /usr/sbin/nginx)
    mkdir -p "$dir"
    local root
    root=$(cd "$WEB_DIR/dist" && pwd)
    # The image's /tmp/ paths move to DIR first: the checkout itself may live under /tmp (a
    # CI clone does), and its root must not be rewritten with them.
    sed -e "s|/tmp/|$dir/|g" \
        -e "s|listen 8080;|listen 127.0.0.1:$port;|" \
        -e "s|server api:8080;|server $api;|" \
        -e "s|root /usr/share/nginx/html;|root $root;|" \
        docker/nginx.conf > "$dir/nginx.conf"
    grep -q "listen 127.0.0.1:$port;" "$dir/nginx.conf" && grep -q "server $api;" "$dir/nginx.conf" \
        && grep -qF "root $root;" "$dir/nginx.conf" \
        || die "docker/nginx.conf no longer has the lines this script adapts (listen 8080; server api:8080; root /usr/share/nginx/html;)"
    "$nginx" -t -q -c "$dir/nginx.conf" -e "$dir/error.log" || die "nginx refused $dir/nginx.conf (see $dir/error.log)"
    "$nginx" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' > "$dir/nginx.log" 2>&1 &
    NGINX_PID=$!
}

# stop_nginx: the nginx start_nginx started, if it runs (SIGQUIT: workers finish, then exit).
stop_nginx() {
    [ -n "${NGINX_PID:-}" ] || return 0
    kill -QUIT "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
    NGINX_PID=
}
