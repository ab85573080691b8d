# METADATA
# title: Container resource requests and limits
# description: |
#   Reads a container's resources.requests and resources.limits and gives
#   the path of a quantity for findings, or of its closest existing parent
#   when the quantity is absent. c is an entry of workload.all_containers.
package feastflow.lib.resources

# quantity(c, section, name) is resources.<section>.<name> of container c
# ("requests" or "limits"; "cpu" or "memory"); undefined when it is absent
# or null (a null quantity decodes to zero, the same as none).
quantity(c, section, name) := q if {
	q := c.container.resources[section][name]
	q != null
}

# path(c, section, name) is the path of resources.<section>.<name> in the
# object, or of the closest parent that exists.
path(c, section, name) := array.concat(c.path, ["resources", section, name]) if {
	_ = c.container.resources[section][name]
} else := array.concat(c.path, ["resources", section]) if {
	_ = c.container.resources[section]
} else := array.concat(c.path, ["resources"]) if {
	_ = c.container.resources
} else := c.path
