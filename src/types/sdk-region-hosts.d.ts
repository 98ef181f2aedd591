declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/PureCloudRegionHosts.js' {
  const hosts: Readonly<Record<string, string>>;
  export default hosts;
}
