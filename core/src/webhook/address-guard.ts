import { lookup } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

/**
 * Addresses a webhook may not reach from AWS: link-local, where the instance, container and
 * Lambda credential and metadata endpoints live (169.254.169.254, 169.254.170.2, EC2's IPv6
 * fd00:ec2::254). IPv4-mapped IPv6 forms match the IPv4 rules.
 */
const internal = new BlockList();
internal.addSubnet("169.254.0.0", 16, "ipv4");
internal.addSubnet("fe80::", 10, "ipv6");
internal.addAddress("fd00:ec2::254", "ipv6");

export const isInternal = (address: string) => internal.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");

/** A URL whose host is a literal internal address (a name is checked once resolved, by guardedLookup). */
export const internalLiteral = (url: string) => {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  return isIP(host) !== 0 && isInternal(host);
};

/**
 * The DNS lookup of a guarded request: a name resolving to any internal address is refused.
 * The socket connects to the very address checked here, so a second resolution cannot differ.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, "", 0);
    const refused = addresses.find((a) => isInternal(a.address));
    if (refused) {
      const error = Object.assign(
        new Error(`${hostname} resolves to ${refused.address}, an internal address`),
        {
          code: "EWEBHOOKREFUSED",
        },
      );
      return callback(error, "", 0);
    }
    const [first] = addresses;
    if (options.all) return callback(null, addresses);
    return callback(null, first?.address ?? "", first?.family ?? 4);
  });
};
