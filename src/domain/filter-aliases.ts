/**
 * Filter names AWS accepts besides the ones its API reference lists, each with the documented filter it means and
 * where it was seen. Real tools send them (issue 20): Ansible's ec2_vpc_net finds its VPC with `cidr-block`, which the
 * DescribeVpcs reference does not list (it says `cidr`), and AWS answers it all the same. A name that is neither
 * documented nor listed here still gets AWS's unknown-filter error.
 *
 * Add an alias only with a source: the module or SDK that sends it, or the reference text that names it.
 */
export interface FilterAlias {
  /** The documented filter it means. */
  readonly canonical: string;
  /** Where it was seen (a tool's source, or the reference's "You can also use …"). */
  readonly seenIn: string;
}

const SUBNETS_REFERENCE = 'EC2 API Reference, DescribeSubnets ("You can also use … as the filter name")';

export const FILTER_ALIASES: Readonly<Record<string, Readonly<Record<string, FilterAlias>>>> = {
  DescribeVpcs: {
    "cidr-block": { canonical: "cidr", seenIn: "amazon.aws ec2_vpc_net (finds an existing VPC by Name tag and CIDR)" },
    cidrBlock: { canonical: "cidr", seenIn: "boto-era scripts; the camelCase form EC2 accepts for subnets' cidr-block" },
    isDefault: { canonical: "is-default", seenIn: "amazon.aws ec2_instance (finds the default VPC when no subnet is given)" },
  },
  DescribeSubnets: {
    availabilityZone: { canonical: "availability-zone", seenIn: SUBNETS_REFERENCE },
    availabilityZoneId: { canonical: "availability-zone-id", seenIn: SUBNETS_REFERENCE },
    cidr: { canonical: "cidr-block", seenIn: SUBNETS_REFERENCE },
    cidrBlock: { canonical: "cidr-block", seenIn: SUBNETS_REFERENCE },
    defaultForAz: { canonical: "default-for-az", seenIn: SUBNETS_REFERENCE },
  },
};

interface NamedFilter {
  readonly Name?: string | undefined;
  readonly Values?: readonly string[] | undefined;
}

/** `filters` with each alias of `action` renamed to its documented name (the same list when there is none). */
export const resolveFilterAliases = <F extends NamedFilter>(action: string, filters: readonly F[]): readonly F[] => {
  const aliases = FILTER_ALIASES[action];
  if (!aliases) return filters;
  return filters.map((f) => {
    const alias = f.Name !== undefined && Object.hasOwn(aliases, f.Name) ? aliases[f.Name] : undefined;
    return alias ? { ...f, Name: alias.canonical } : f;
  });
};
