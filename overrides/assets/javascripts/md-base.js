// Material's inline <script> of partials/javascripts/base.html, as a file: the site's
// Content-Security-Policy (script-src 'self') runs no inline script. Material wrote the scope
// as the page's base_url; this file sits two folders below the site's root, so the root is
// found from its own address, which is the same URL on every page.
__md_scope=new URL("../..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
