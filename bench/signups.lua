-- wrk script for bench/signups.py: every request is a new, valid sign-up through the real form
-- (CSRF token and cookie from the environment), each with an address of its own.
local token, path, cookie = os.getenv("SIGNUP_TOKEN"), os.getenv("SIGNUP_PATH"), os.getenv("SIGNUP_COOKIE")
local threads, counter = {}, 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

function request()
  counter = counter + 1
  local who = thread_id .. "x" .. counter
  local body = "csrfmiddlewaretoken=" .. token .. "&name=Person+" .. who .. "&email=person" .. who
    .. "%40example.org&organisation=Bench+Cluster&organisation_type=cluster&country=BE"
    .. "&position=Manager&consent=on"
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. cookie,
  }, body)
end
