// document.cpp — see document.hpp. The style sheet is written once here; pages only use its
// classes: t-<tone> for colours (always next to a word), v-<verdict> for table rows.
#include "report/html/document.hpp"

#include <openssl/evp.h>

#include <array>

namespace intransit::report::html {
namespace {

// The filter script as a literal, so that the page writer takes it as program markup (it must
// not be HTML-escaped: a <script> element's text is not decoded).
#define INTRANSIT_FILTER_SCRIPT                                                                \
  "(function(){var f=document.getElementById('qf');if(!f)return;"                              \
  "var q=document.getElementById('q'),v=document.getElementById('qv'),"                        \
  "c=document.getElementById('qc'),rows=document.querySelectorAll('#domains tbody tr');"       \
  "f.hidden=false;function run(){var s=q.value.trim().toLowerCase(),w=v.value,n=0;"            \
  "for(var i=0;i<rows.length;i++){var r=rows[i],ok=(!w||r.getAttribute('data-v')===w)&&"       \
  "(!s||r.textContent.toLowerCase().indexOf(s)>=0);r.hidden=!ok;if(ok)n++;}"                   \
  "c.textContent=n+' of '+rows.length+' shown';}"                                              \
  "q.addEventListener('input',run);v.addEventListener('change',run);})();"                     \
  "(function(){var t=document.getElementById('domains');if(!t)return;"                         \
  "var hs=t.tHead.rows[0].cells,b=t.tBodies[0];"                                               \
  "function key(r,i){if(i===1)return +r.getAttribute('data-r');var s=r.cells[i].textContent;"  \
  "return hs[i].className==='n'?+s:s.toLowerCase();}"                                          \
  "function by(i){return function(){var d=hs[i].getAttribute('aria-sort')==='ascending'?-1:1;" \
  "for(var j=0;j<hs.length;j++)hs[j].removeAttribute('aria-sort');"                            \
  "hs[i].setAttribute('aria-sort',d>0?'ascending':'descending');"                              \
  "var rs=[].slice.call(b.rows);rs.sort(function(p,q){var a=key(p,i),c=key(q,i);"              \
  "return (a<c?-1:a>c?1:0)*d;});var f=document.createDocumentFragment();"                      \
  "rs.forEach(function(r){f.appendChild(r);});b.appendChild(f);};}"                            \
  "for(var i=0;i<hs.length;i++){var x=document.createElement('button');x.type='button';"       \
  "x.textContent=hs[i].textContent;x.title='Sort by this column';hs[i].textContent='';"        \
  "hs[i].appendChild(x);x.addEventListener('click',by(i));}})();"

constexpr std::string_view kScript = INTRANSIT_FILTER_SCRIPT;

#define INTRANSIT_REPORT_CSS                                                                    \
  ":root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--mute:#57606a;--line:#d0d7de;"         \
  "--card:#f6f8fa;--good:#1a7f37;--fair:#0969da;--warn:#9a6700;--bad:#cf222e;--none:#6e7781}"   \
  "@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--mute:#9198a1;"          \
  "--line:#30363d;--card:#161b22;--good:#3fb950;--fair:#58a6ff;--warn:#d29922;--bad:#f85149;"   \
  "--none:#8b949e}}"                                                                            \
  "*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);"                 \
  "font:16px/1.5 system-ui,'DejaVu Sans',sans-serif}"                                           \
  "main,header.top,footer{max-width:72rem;margin:0 auto;padding:0 1rem}"                        \
  "header.top{padding-top:1rem}h1{font-size:1.6rem;margin:.2rem 0}h2{margin-top:2rem;"          \
  "border-bottom:1px solid var(--line)}h3{margin-bottom:.3rem}"                                 \
  ".meta,.note{color:var(--mute);font-size:.9rem}"                                              \
  ".verdict{font-size:1.5rem;font-weight:600;padding:1rem;border-left:.5rem solid;"             \
  "background:var(--card);margin:1rem 0}"                                                       \
  ".t-good{color:var(--good);border-color:var(--good);fill:var(--good)}"                        \
  ".t-fair{color:var(--fair);border-color:var(--fair);fill:var(--fair)}"                        \
  ".t-warn{color:var(--warn);border-color:var(--warn);fill:var(--warn)}"                        \
  ".t-bad{color:var(--bad);border-color:var(--bad);fill:var(--bad)}"                            \
  ".t-none{color:var(--none);border-color:var(--none);fill:var(--none)}"                        \
  ".verdict .says{display:block;color:var(--fg);font-size:1.1rem;font-weight:400}"              \
  ".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}"       \
  ".card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.8rem}"  \
  "svg.chart{width:100%;height:auto;max-width:48rem;display:block;margin:.5rem 0}"              \
  "svg.wide{min-width:34rem}svg rect.part{stroke:var(--bg);stroke-width:1.5}"                   \
  "td[class^=t-]{border-color:var(--line)}"                                                     \
  "svg text{fill:var(--fg);font:13px system-ui,'DejaVu Sans',sans-serif}"                       \
  "svg line,svg path{stroke:var(--mute)}svg .box{fill:var(--card);stroke:var(--line)}"          \
  ".legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1.2rem}"             \
  ".key{display:inline-block;width:.8em;height:.8em;background:currentColor;margin-right:.3em}" \
  ".scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.92rem}"         \
  "th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid var(--line);"             \
  "vertical-align:top}th{background:var(--card)}td.n,th.n{text-align:right}"                    \
  "caption{text-align:left;color:var(--mute);padding:.3rem 0}"                                  \
  "code,.ev{font-family:'DejaVu Sans Mono',monospace;font-size:.85rem;overflow-wrap:anywhere}"  \
  ".warning{border:2px solid var(--warn);padding:.6rem;border-radius:6px}"                      \
  "form.filter{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}"        \
  "input,select{font:inherit;padding:.2rem .4rem}"                                              \
  "th button{font:inherit;font-weight:600;color:inherit;background:none;border:0;padding:0;"    \
  "cursor:pointer;text-decoration:underline dotted}"                                            \
  "@media (max-width:40rem){body{font-size:15px}.verdict{font-size:1.2rem}}"                    \
  "@media print{body{background:#fff;color:#000}form.filter{display:none}"                      \
  "h2{break-after:avoid}.card,svg.chart,tr{break-inside:avoid}.scroll{overflow:visible}"        \
  "a{color:#000}}"

constexpr std::string_view kCsp =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; script-src '";

}  // namespace

std::string_view filter_script() {
  return kScript;
}

std::string filter_script_hash() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(kScript.data(), kScript.size(), digest.data(), &size, EVP_sha256(), nullptr);
  std::array<unsigned char, 4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1> b64{};
  const int n = EVP_EncodeBlock(b64.data(), digest.data(), static_cast<int>(size));
  return "sha256-" +
         std::string(reinterpret_cast<const char*>(b64.data()), static_cast<std::size_t>(n));
}

std::string content_security_policy() {
  return std::string(kCsp) + filter_script_hash() + "'";
}

void open_page(Writer& w, std::string_view title, std::string_view generator) {
  open_page(w, title, generator, Frame{});
}

namespace {

// A policy without the directives a <meta> element may not carry (CSP 3 §3.3: frame-ancestors,
// report-uri, sandbox); browsers ignore them there and log an error. serve sends them as a header.
std::string meta_policy(std::string_view policy) {
  std::string out;
  while (!policy.empty()) {
    const auto end = policy.find(';');
    std::string_view directive = policy.substr(0, end);
    policy = end == std::string_view::npos ? std::string_view{} : policy.substr(end + 1);
    while (!directive.empty() && directive.front() == ' ') directive.remove_prefix(1);
    if (directive.empty() || directive.starts_with("frame-ancestors") ||
        directive.starts_with("report-uri") || directive.starts_with("sandbox"))
      continue;
    if (!out.empty()) out += "; ";
    out += directive;
  }
  return out;
}

}  // namespace

void open_page(Writer& w, std::string_view title, std::string_view generator, const Frame& frame) {
  const std::string csp =
      meta_policy(frame.security_policy.empty() ? content_security_policy()
                                                : std::string(frame.security_policy));
  w << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta http-equiv=\"Content-Security-Policy\" content=\""
    << Esc{csp}
    << "\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
       "<meta name=\"color-scheme\" content=\"light dark\"><meta name=\"generator\" content=\""
    << Esc{generator} << "\"><title>" << Esc{title}
    << "</title><style>" INTRANSIT_REPORT_CSS
       "</style></head><body><header class=\"top\"><p "
       "class=\"meta\">"
    << Esc{frame.label} << "</p><h1>" << Esc{title} << "</h1></header><main>";
}

void close_page(Writer& w) {
  close_page(w, Frame{});
}

void close_page(Writer& w, const Frame& frame) {
  w << "</main><footer><p class=\"note\">";
  if (frame.footer.empty()) {
    w << "Made by intransit from saved JSON: this page loads "
         "nothing from the network. It shows what the saved results say; it does not re-test "
         "anything, and it does not check what the tests themselves do not check (end-to-end "
         "encryption of mail in a domain, senders' own behaviour).";
  } else {
    w << Esc{frame.footer};
  }
  w << "</p></footer><script>" << INTRANSIT_FILTER_SCRIPT "</script></body></html>\n";
}

}  // namespace intransit::report::html
